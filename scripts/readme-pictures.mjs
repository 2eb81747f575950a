// Makes the README's pictures from the real-editor test's screenshots (test/e2e/out, written by `npm run test:e2e`):
// each is scaled down with resvg so the page and the .vsix stay light. Run `npm run pictures` after an E2E run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(root, 'test', 'e2e', 'out');
/** Screenshot → README picture; the screenshots are 1600×1000. */
const PICTURES = [
  { from: '3-hover.png', to: 'readme-diagnostics.png' },
  { from: '6-probe.png', to: 'readme-probe.png' },
];
const WIDTH = 1000;

for (const { from, to } of PICTURES) {
  const source = path.join(shots, from);
  if (!existsSync(source)) {
    console.error(`${path.relative(root, source)} is missing: run \`npm run test:e2e\` first.`);
    process.exit(1);
  }
  const png = readFileSync(source);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  // An SVG that only holds the screenshot lets resvg do the resampling.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const out = new Resvg(svg, { fitTo: { mode: 'width', value: WIDTH } }).render().asPng();
  writeFileSync(path.join(root, 'images', to), out);
  console.log(`images/${to}: ${WIDTH} px wide, ${Math.round(out.length / 1024)} KiB (from ${from})`);
}
