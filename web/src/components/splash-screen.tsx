import { LogoMark } from './icons.tsx';
import { Spinner } from './spinner.tsx';

/** What shows while the app finds out whether someone is logged in: neither the login page nor the app. */
export function SplashScreen() {
  return (
    <main className="splash" data-page="loading">
      <LogoMark width={44} height={44} />
      <Spinner label="Loading your account" />
    </main>
  );
}
