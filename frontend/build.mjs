// Builds the portal's front end into static/ (run by `npm run build`, which `make install`
// runs after `npm ci`):
//
//   frontend/portal.scss                  -> static/portal/portal.css (compressed)
//   frontend/js/*.js, frontend/images/*   -> static/portal/
//   govuk-frontend's govuk-frontend.min.js (and its source map)
//                                         -> static/vendor/govuk/
//   htmx's htmx.min.js (the workspace's what-if view)
//                                         -> static/vendor/htmx/
//   any GOV.UK Frontend asset the CSS refers to
//                                         -> static/vendor/govuk/ (never the fonts)
//
// Everything it writes is build output, ignored by git.

import { copyFileSync, mkdirSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FRONTEND = join(ROOT, "frontend");
const STATIC = join(ROOT, "static");
const PORTAL_OUT = join(STATIC, "portal");
const VENDOR_OUT = join(STATIC, "vendor", "govuk");
const GOVUK_DIST = join(ROOT, "node_modules", "govuk-frontend", "dist", "govuk");

function fail(message) {
  console.error(`frontend build: ${message}`);
  process.exit(1);
}

function copy(source, target) {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  console.log(`  ${relative(ROOT, target)}`);
}

if (!existsSync(GOVUK_DIST)) {
  fail("node_modules/govuk-frontend is missing: run `npm ci` first (`make install` does).");
}

mkdirSync(PORTAL_OUT, { recursive: true });
mkdirSync(VENDOR_OUT, { recursive: true });
console.log("frontend build:");

// 1. The stylesheet.
let css;
try {
  css = sass.compile(join(FRONTEND, "portal.scss"), {
    loadPaths: [join(ROOT, "node_modules")],
    style: "compressed",
    sourceMap: false,
    // GOV.UK Frontend 5 is written for @import; its own deprecation warnings are not ours.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin"],
  }).css;
} catch (error) {
  fail(error.message);
}

for (const forbidden of ["GDS Transport", "govuk-crest", "/assets/fonts/"]) {
  if (css.includes(forbidden)) {
    fail(`the stylesheet refers to ${JSON.stringify(forbidden)}; the portal is not GOV.UK.`);
  }
}

// 2. Every file the stylesheet refers to must be copied next to it, or Django's hashed
// static files storage (collectstatic) cannot resolve it.
for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  const url = match[1];
  if (url.startsWith("data:")) continue;
  const target = posix.normalize(posix.join("portal", url.split(/[?#]/)[0]));
  if (!target.startsWith("vendor/govuk/")) {
    fail(`the stylesheet refers to ${url}, which the build does not provide.`);
  }
  const source = join(GOVUK_DIST, "assets", target.slice("vendor/govuk/".length));
  if (target.includes("/fonts/") || !existsSync(source)) {
    fail(`the stylesheet refers to ${url}, which GOV.UK Frontend does not provide.`);
  }
  copy(source, join(STATIC, target));
}

const cssTarget = join(PORTAL_OUT, "portal.css");
writeFileSync(cssTarget, css + "\n");
console.log(`  ${relative(ROOT, cssTarget)}`);

// 3. GOV.UK Frontend's script (an ES module) and its source map, which the script names.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copy(join(GOVUK_DIST, name), join(VENDOR_OUT, name));
}

// 4. htmx, for the workspace only (public pages do not load it).
copy(
  join(ROOT, "node_modules", "htmx.org", "dist", "htmx.min.js"),
  join(STATIC, "vendor", "htmx", "htmx.min.js"),
);

// 5. The portal's own small scripts and images.
for (const folder of ["js", "images"]) {
  for (const name of readdirSync(join(FRONTEND, folder))) {
    copy(join(FRONTEND, folder, name), join(PORTAL_OUT, name));
  }
}
