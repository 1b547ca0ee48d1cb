import { AuthLayout } from '../components/auth-layout.tsx';
import { Link } from '../router.tsx';

/** Any path the app has no page for, logged in or not: says so, and links home. */
export function NotFoundPage({ pathname }: { pathname: string }) {
  return (
    <div data-page="not-found">
      <AuthLayout pageTitle="Page not found" title="Page not found" subtitle={`There is no page at ${pathname}.`} footer={null}>
        <Link to="/" className="button button-primary button-block">
          Go to the home page
        </Link>
      </AuthLayout>
    </div>
  );
}
