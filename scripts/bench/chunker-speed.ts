import { CHUNK_SIZES, RowChunker } from '@/lib/backup/snapshot/chunker';

/**
 * The snapshot chunker's speed on about 100 MB of row lines shaped like the
 * document's (30–600 bytes, JSON strings and nulls, shared timestamps), fed
 * in 256 KiB blocks of whole lines as the export hands them over. Run with
 * `node_modules/.bin/tsx scripts/bench/chunker-speed.ts [MB]`.
 */

const megabytes = Number(process.argv[2] ?? 100);
let seed = 1;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const words = ['Amina', 'Jonas', 'Grade 7', 'Mathematics', 'present', 'Room 12', 'term 2', 'Lagos'];

function block(firstId: number, bytes: number): { lines: Buffer; rows: number } {
  let text = '';
  let id = firstId;
  for (; text.length < bytes; id++) {
    const stamp = `2026-09-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}T07:30:00.000Z`;
    let note = '';
    const width = Math.floor(rand() ** 2 * 540);
    while (note.length < width) note += `${words[Math.floor(rand() * words.length)]} ${Math.floor(rand() * 1000)} `;
    text += `${JSON.stringify([String(id), 'PRESENT', stamp, rand() < 0.2 ? null : note, rand() < 0.5 ? null : stamp])},\n`;
  }
  return { lines: Buffer.from(text), rows: id - firstId };
}

const blocks: Buffer[] = [];
let total = 0;
for (let id = 1; total < megabytes * 1e6; ) {
  const { lines, rows } = block(id, 256 * 1024);
  blocks.push(lines);
  total += lines.length;
  id += rows;
}

for (let run = 0; run < 5; run++) {
  const chunker = new RowChunker(CHUNK_SIZES);
  let chunks = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (const lines of blocks) chunks += chunker.push(lines).length;
  if (chunker.finish()) chunks++;
  const seconds = (performance.now() - started) / 1000;
  // CPU time too: on a shared machine the wall clock says more about the neighbours.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = total / 1e6;
  console.log(
    `run ${run + 1}: ${mb.toFixed(0)} MB, wall ${seconds.toFixed(3)} s = ${(mb / seconds).toFixed(0)} MB/s, ` +
      `CPU ${cpuSeconds.toFixed(3)} s = ${(mb / cpuSeconds).toFixed(0)} MB/s; ${chunks} chunks, average ${(total / chunks / 1048576).toFixed(3)} MiB`,
  );
}
