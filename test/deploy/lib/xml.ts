// Small, order-preserving XML tree for checking OME configuration files.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

type Raw = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // OME macros such as ${StartTime:YYYYMMDDhhmmss} must stay verbatim.
  processEntities: true,
});

function toNode(raw: Raw): XmlNode | null {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?')) return null;
  const body = (raw[name] as Raw[]) ?? [];
  const attrs = (raw[':@'] as Record<string, string>) ?? {};
  const children: XmlNode[] = [];
  let text = '';
  for (const item of body) {
    if ('#text' in item) text += String(item['#text']);
    else {
      const child = toNode(item);
      if (child) children.push(child);
    }
  }
  return { name, attrs, children, text: text.trim() };
}

/** Parses a document and returns its root element; throws with the parser's message when invalid. */
export function parseXml(source: string, label = 'document'): XmlNode {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new Error(`${label}: invalid XML: ${valid.err.msg} (line ${valid.err.line})`);
  const roots = (parser.parse(source) as Raw[]).map(toNode).filter((n): n is XmlNode => n !== null);
  if (roots.length !== 1) throw new Error(`${label}: expected one root element, found ${roots.length}`);
  return roots[0]!;
}

/** All children with this name. */
export function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** Walks a slash path ("Bind/Providers/RTMP"); returns the first match or undefined. */
export function at(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let cur = node;
  for (const part of path.split('/')) {
    if (!cur) return undefined;
    cur = cur.children.find((c) => c.name === part);
  }
  return cur;
}

/** Text of the element at path; throws naming the path when it is missing (a clearer failure than undefined). */
export function textAt(node: XmlNode, path: string): string {
  const found = at(node, path);
  if (!found) throw new Error(`missing <${path}> under <${node.name}>`);
  return found.text;
}

/** Every element with its slash path from the root, depth first. */
export function walk(node: XmlNode, prefix = ''): Array<{ path: string; node: XmlNode }> {
  const path = prefix ? `${prefix}/${node.name}` : node.name;
  return [{ path, node }, ...node.children.flatMap((c) => walk(c, path))];
}

/**
 * Expands OME's ${env:NAME:default} the way OME does (config/engine/data_source.cpp): the first ':'
 * splits name and default; a set, non-empty variable wins; otherwise the default (possibly empty).
 */
export function expandOmeEnv(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\{env:([^}]*)\}/g, (_m, token: string) => {
    const i = token.indexOf(':');
    const name = i === -1 ? token : token.slice(0, i);
    const fallback = i === -1 ? '' : token.slice(i + 1);
    const v = env[name];
    return v !== undefined && v !== '' ? v : fallback;
  });
}

/** Names of the ${env:NAME…} placeholders in a value. */
export function omeEnvNames(value: string): string[] {
  return [...value.matchAll(/\$\{env:([^}:]*)/g)].map((m) => m[1]!);
}
