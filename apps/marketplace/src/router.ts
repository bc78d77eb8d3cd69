import { useEffect, useState } from "react";
import { markNavigated } from "./components/PageTitle.tsx";

/** The pages, each reachable by URL (`#/stake`, `#/operators/7`, …): hash routes work on any static host. */
export type Route =
  | { page: "stake" }
  | { page: "operators" }
  | { page: "operator"; operatorId: bigint }
  | { page: "validators" }
  | { page: "restake" }
  | { page: "networks" }
  | { page: "distributors" }
  | { page: "not-found"; path: string };

/** The route of a location hash ("#/operators/3"); an empty hash is the stake page. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/stake";
  const parts = path.split("/").filter((p) => p !== "");
  const [first, second] = parts;
  if (parts.length === 1) {
    switch (first) {
      case "stake":
      case "operators":
      case "validators":
      case "restake":
      case "networks":
      case "distributors":
        return { page: first };
    }
  }
  if (parts.length === 2 && first === "operators" && second !== undefined && /^[1-9]\d*$/.test(second)) {
    return { page: "operator", operatorId: BigInt(second) };
  }
  return { page: "not-found", path };
}

export function href(route: Exclude<Route, { page: "not-found" }>): string {
  return route.page === "operator" ? `#/operators/${route.operatorId}` : `#/${route.page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      markNavigated();
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
