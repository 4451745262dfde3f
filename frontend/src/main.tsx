/** Entry point: mounts the app into #root. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { themeStore } from "./state/theme";
import "./theme.css";

themeStore(); // draws the remembered theme before the first render, so no page flashes the other one

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
