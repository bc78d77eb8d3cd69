import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { ErrorNotice } from "./components/ErrorNotice.tsx";
import { loadConfig } from "./config.ts";
import "./styles.css";

const rootElement = document.getElementById("root");
if (rootElement === null) throw new Error("index.html has no #root");
const root = createRoot(rootElement);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main>
        <h1>Nektar marketplace</h1>
        <ErrorNotice error={error} title="Cannot start" />
      </main>,
    ),
);
