import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The shape of the code, checked from the code itself so that a change cannot quietly undo it:
 * module folders import each other in one direction only; each table is written (repository,
 * entity manager call or raw SQL) only by the module that owns it; files, functions and
 * constructors stay small.
 */
const SRC = __dirname;
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;
const MAX_DEPENDENCIES = 7;
/** Generated migrations create every table; they belong to no feature. */
const EXEMPT = [join('database', 'migrations')];

interface SourceFile {
  path: string;
  /** The top-level folder under src/ ('' for the files at src/ itself: the application). */
  module: string;
  ast: ts.SourceFile;
  text: string;
}

function sources(): SourceFile[] {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !EXEMPT.some((e) => f.startsWith(e)),
  );
  return files.map((path) => {
    const text = readFileSync(join(SRC, path), 'utf8');
    return {
      path,
      module: path.includes(sep) ? path.split(sep)[0] : '',
      ast: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true),
      text,
    };
  });
}

const FILES = sources();

function moduleOf(from: SourceFile, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = relative(SRC, join(SRC, from.path, '..', specifier));
  return target.includes(sep) ? target.split(sep)[0] : '';
}

/** Every node of a file, depth first. */
function* nodes(node: ts.Node): Generator<ts.Node> {
  yield node;
  for (const child of node.getChildren()) yield* nodes(child);
}

function importEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of FILES) {
    for (const node of file.ast.statements) {
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
      const specifier = node.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const target = moduleOf(file, specifier.text);
      if (target === null || target === file.module || file.module === '') continue;
      if (!edges.has(file.module)) edges.set(file.module, new Set());
      edges.get(file.module)!.add(target);
    }
  }
  return edges;
}

/** Each cycle of the folder graph, as a path. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (module: string, path: string[]): void => {
    state.set(module, 'open');
    for (const next of edges.get(module) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(module, 'done');
  };
  for (const module of edges.keys()) if (!state.has(module)) visit(module, [module]);
  return found;
}

/** Table and entity class → the module that declares the entity. */
function owners(): { tables: Map<string, string>; entities: Map<string, string> } {
  const tables = new Map<string, string>();
  const entities = new Map<string, string>();
  for (const file of FILES) {
    for (const node of file.ast.statements) {
      if (!ts.isClassDeclaration(node) || !node.name) continue;
      for (const decorator of ts.getDecorators(node) ?? []) {
        const call = decorator.expression;
        if (!ts.isCallExpression(call) || call.expression.getText() !== 'Entity') continue;
        const [table] = call.arguments;
        if (table && ts.isStringLiteral(table)) tables.set(table.text, file.module);
        entities.set(node.name.text, file.module);
      }
    }
  }
  return { tables, entities };
}

const ENTITY_CALL =
  /^(create|insert|update|delete|save|remove|upsert|increment|decrement|find\w*|exist\w*|count\w*|createQueryBuilder|getRepository|softDelete|restore)$/;
const SQL_TABLE = /\b(?:from|into|update|join|table)\s+"?([a-z_]+)"?/gi;

/** Where a file reads or writes a table through a repository, the entity manager or SQL. */
function tableUses(
  file: SourceFile,
  entities: Map<string, string>,
): { table: string; how: string }[] {
  const uses: { table: string; how: string }[] = [];
  for (const node of nodes(file.ast)) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
      const [first] = node.arguments;
      if (first && ts.isIdentifier(first) && entities.has(first.text)) {
        if (name === 'InjectRepository' || ENTITY_CALL.test(name)) {
          uses.push({ table: first.text, how: `${name}(${first.text})` });
        }
      }
    }
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      for (const match of node.getText().matchAll(SQL_TABLE)) {
        uses.push({ table: match[1].toLowerCase(), how: `SQL "${match[0]}"` });
      }
    }
  }
  return uses;
}

function functionLength(node: ts.Node, file: SourceFile): number | null {
  const isFunction =
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isGetAccessorDeclaration(node);
  if (!isFunction) return null;
  const body = (node as ts.FunctionLikeDeclaration).body;
  if (!body) return null;
  const start = file.ast.getLineAndCharacterOfPosition(body.getStart()).line;
  const end = file.ast.getLineAndCharacterOfPosition(body.getEnd()).line;
  return end - start + 1;
}

describe('architecture', () => {
  it('module folders import each other in one direction only (no cycles)', () => {
    expect(cycles(importEdges()).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('each table is read and written only by the module that declares its entity', () => {
    const { tables, entities } = owners();
    expect(tables.size).toBeGreaterThanOrEqual(9);
    const foreign: string[] = [];
    for (const file of FILES) {
      for (const use of tableUses(file, entities)) {
        const owner = tables.get(use.table) ?? entities.get(use.table);
        if (owner !== undefined && owner !== file.module) {
          foreign.push(`${file.path}: ${use.how} belongs to ${owner}/`);
        }
      }
    }
    expect(foreign).toEqual([]);
  });

  it(`no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`, () => {
    const long: string[] = [];
    for (const file of FILES) {
      const lines = file.text.split('\n').length;
      if (lines > MAX_FILE_LINES) long.push(`${file.path}: ${lines} lines`);
      for (const node of nodes(file.ast)) {
        const length = functionLength(node, file);
        if (length !== null && length > MAX_FUNCTION_LINES) {
          const line = file.ast.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          long.push(`${file.path}:${line}: a function of ${length} lines`);
        }
      }
    }
    expect(long).toEqual([]);
  });

  it(`no class depends on more than ${MAX_DEPENDENCIES} others (split it by use case)`, () => {
    const crowded: string[] = [];
    for (const file of FILES) {
      for (const node of nodes(file.ast)) {
        if (!ts.isConstructorDeclaration(node) || node.parameters.length <= MAX_DEPENDENCIES)
          continue;
        const owner = (node.parent as ts.ClassDeclaration).name?.text;
        crowded.push(`${file.path}: ${owner} has ${node.parameters.length} dependencies`);
      }
    }
    expect(crowded).toEqual([]);
  });

  it('finds what it checks (the checks cannot pass for want of input)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(importEdges().size).toBeGreaterThan(8);
    const { entities } = owners();
    const sessions = FILES.find((f) => f.path.endsWith('sessions.service.ts'))!;
    expect(tableUses(sessions, entities).map((u) => u.table)).toEqual(
      expect.arrayContaining(['sessions', 'Session']),
    );
  });
});
