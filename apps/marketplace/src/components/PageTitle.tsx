import { type ReactNode, useEffect, useRef } from "react";

let navigated = false;

/** Called on every in-app navigation: from then on a page's title takes the focus when it appears. */
export function markNavigated(): void {
  navigated = true;
}

/**
 * A page's `<h1>`. After a navigation, keyboard and screen-reader users land on it (also when the page loads lazily);
 * on the first load the focus stays at the document start, so the first Tab reaches the skip link.
 */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (navigated) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
