// Renders images/icon.svg to images/icon.png (128×128, as the Marketplace wants) with resvg; run `npm run icon`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(path.join(root, 'images', 'icon.svg'), 'utf8');
const png = new Resvg(svg, { fitTo: { mode: 'width', value: 128 } }).render().asPng();
writeFileSync(path.join(root, 'images', 'icon.png'), png);
console.log(`images/icon.png: ${png.length} bytes`);
