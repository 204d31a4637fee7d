// Copy GOV.UK Frontend's JavaScript and images (not its fonts: we use our own branding).
import { cpSync, mkdirSync } from "node:fs";

const src = "node_modules/govuk-frontend/dist/govuk";
const dest = "whistledesk/frontend/build";
mkdirSync(`${dest}/assets`, { recursive: true });
cpSync(`${src}/govuk-frontend.min.js`, `${dest}/govuk-frontend.min.js`);
cpSync(`${src}/assets/images`, `${dest}/assets/images`, { recursive: true });
cpSync(`${src}/assets/manifest.json`, `${dest}/assets/manifest.json`);
