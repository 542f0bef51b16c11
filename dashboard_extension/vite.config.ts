/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The pages are served by the plugin from the Python package; Python reads
// `manifest.json` to find the hashed entry script and stylesheets. (Not Vite's
// default `.vite/manifest.json`: package_data globs skip dot-directories, so a
// wheel would ship without it.)
const outDir = fileURLToPath(
  new URL("../saleor_cart_takeover/static/dashboard", import.meta.url),
);

export default defineConfig({
  plugins: [react()],
  // Asset URLs relative to the stylesheet/script that loads them, so the
  // plugin can serve them under any prefix.
  base: "./",
  build: {
    outDir,
    emptyOutDir: true,
    manifest: "manifest.json",
    target: "es2020",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: "src/main.tsx" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
  },
});
