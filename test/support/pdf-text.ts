import { inflateSync } from 'node:zlib';

/** WinAnsi codes pdfkit uses for characters outside Latin-1 (bullet, ellipsis, dashes, quotes). */
const WIN_ANSI: Record<number, string> = { 0x95: '•', 0x85: '…', 0x96: '–', 0x97: '—', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x80: '€' };

/** The text of a PDF written by pdfkit with its standard fonts: content streams inflated, TJ strings decoded. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const texts: string[] = [];
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let match = streams.exec(raw); match; match = streams.exec(raw)) {
    const bytes = Buffer.from(match[1]!, 'latin1');
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const array of content.match(/\[(.*?)\]\s*TJ/g) ?? []) {
      const hex = [...array.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!).join('');
      const line = Buffer.from(hex, 'hex');
      texts.push([...line].map((code) => WIN_ANSI[code] ?? String.fromCharCode(code)).join(''));
    }
  }
  return texts.join('\n');
}
