/** Vite build, dev server and Vitest configuration for the Wengert frontend. */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/** Where `npm run dev` forwards API calls: the FastAPI backend's default port. */
const BACKEND = "http://127.0.0.1:8000";

export default defineConfig({
  // The backend serves the build at "/" and falls back to index.html for /w/... paths,
  // so asset URLs must be absolute.
  base: "/",
  plugins: [react()],
  server: {
    proxy: {
      "/api": BACKEND,
      "/healthz": BACKEND,
    },
  },
  optimizeDeps: {
    // Found only inside the layout worker; listing it up front spares a dev-server reload.
    include: ["elkjs/lib/elk-api", "elkjs/lib/elk-worker.min.js"],
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
    // colors.test.ts reads theme.css ("?raw") to check the heatmap colours match the theme's.
    css: { include: [/theme\.css/] },
  },
});
