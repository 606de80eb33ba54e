'use strict';
// Prints {"total", "pages": [{"num", "text"}]} for the PDF file named as the argument, using
// pdf-parse (pdf.js). Run as its own node process: pdf.js loads its worker with a dynamic
// import, which Jest's module sandbox refuses without --experimental-vm-modules.
const { readFileSync } = require('node:fs');
const { PDFParse } = require('pdf-parse');

(async () => {
  const parser = new PDFParse({ data: readFileSync(process.argv[2]) });
  try {
    const r = await parser.getText();
    process.stdout.write(JSON.stringify({ total: r.total, pages: r.pages.map((p) => ({ num: p.num, text: p.text })) }));
  } finally {
    await parser.destroy();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
