// Biome wraps code at 120 columns but leaves long strings and comments alone: this catches those past 160.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 160;
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx', '*.js', '*.css'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && !file.startsWith('migrations/') && !file.endsWith('.gen.ts'));

const long: string[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the working tree
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > MAX) long.push(`${file}:${i + 1}: ${line.length} characters`);
  });
}
if (long.length > 0) {
  console.error(`Lines over ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
console.log(`line length: ${files.length} files, none over ${MAX} characters`);
