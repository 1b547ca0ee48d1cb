import { useEffect } from 'react';

/** Sets the tab's title to "<title> · GraphQL Auth" while the page shows. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · GraphQL Auth`;
  }, [title]);
}
