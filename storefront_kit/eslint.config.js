// The kit is linted with the Dashboard extension's ESLint and config:
// `npm run lint` in dashboard_extension/ (scripts/test runs it).
export { default } from "../dashboard_extension/eslint.config.js";
