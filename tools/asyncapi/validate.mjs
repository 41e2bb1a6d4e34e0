// Validate an AsyncAPI document with the official parser (@asyncapi/parser), and optionally
// messages against the document's header and payload schemas.
//
//   node tools/asyncapi/validate.mjs docs/events/asyncapi.json
//   node tools/asyncapi/validate.mjs docs/events/asyncapi.json --messages messages.json
//
// Prints every diagnostic (errors, warnings, ...) with its path; exits 1 when the parser
// reports an error. `--messages FILE` ("-" reads stdin) takes a JSON array of
// {"message": "<components/messages key>", "headers": {...}, "payload": ...}: each is
// validated (JSON Schema draft-07, the AsyncAPI schema format, with formats) against the
// headers and payload schemas of that message as the parser resolved them; exits 1 when
// one does not validate. Run `npm ci` in tools/asyncapi first.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import process from 'node:process';

import { DiagnosticSeverity, Parser, fromFile } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

function usage(reason) {
  console.error(`validate.mjs: ${reason}`);
  console.error('usage: node validate.mjs DOCUMENT [--messages FILE|-]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { document: undefined, messages: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--messages') {
      args.messages = argv[i + 1];
      if (args.messages === undefined) usage('--messages needs a file');
      i += 1;
    } else if (args.document === undefined) {
      args.document = argv[i];
    } else {
      usage(`unexpected argument ${argv[i]}`);
    }
  }
  if (args.document === undefined) usage('no document given');
  return args;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function where(diagnostic) {
  const path = (diagnostic.path ?? []).join('/');
  return path === '' ? '(document)' : `/${path}`;
}

function validateMessages(document, messages) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const known = document.components().messages();
  let invalid = 0;
  for (const [index, entry] of messages.entries()) {
    const name = entry.message;
    const message = known.get(name);
    if (message === undefined) {
      console.log(`invalid message #${index} ${name}: no such message in components/messages`);
      invalid += 1;
      continue;
    }
    const problems = [];
    for (const [part, schema] of [['headers', message.headers()], ['payload', message.payload()]]) {
      if (schema === undefined) {
        problems.push(`${part}: the message defines no schema`);
        continue;
      }
      const check = ajv.compile(schema.json());
      if (!check(entry[part])) {
        for (const error of check.errors) {
          const detail = error.params ? ` ${JSON.stringify(error.params)}` : '';
          problems.push(`${part}${error.instancePath || ''}: ${error.message}${detail}`);
        }
      }
    }
    if (problems.length === 0) {
      console.log(`ok message #${index} ${name}`);
    } else {
      invalid += 1;
      for (const problem of problems) console.log(`invalid message #${index} ${name} ${problem}`);
    }
  }
  return invalid;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, resolve(args.document)).parse();
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const diagnostic of diagnostics) {
    const severity = SEVERITY[diagnostic.severity] ?? String(diagnostic.severity);
    counts[severity] = (counts[severity] ?? 0) + 1;
    console.log(`${severity} ${diagnostic.code} ${where(diagnostic)}: ${diagnostic.message}`);
  }
  console.log(
    `${args.document}: ${counts.error} error(s), ${counts.warning} warning(s), ` +
      `${counts.info} info, ${counts.hint} hint(s)`,
  );
  if (counts.error > 0 || document === undefined) return 1;
  if (args.messages === undefined) return 0;
  const text = args.messages === '-' ? await readStdin() : await readFile(args.messages, 'utf8');
  const messages = JSON.parse(text);
  if (!Array.isArray(messages)) usage('--messages must hold a JSON array');
  const invalid = validateMessages(document, messages);
  console.log(`${messages.length - invalid} of ${messages.length} message(s) valid`);
  return invalid === 0 ? 0 : 1;
}

process.exitCode = await main();
