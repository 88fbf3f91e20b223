import { describe, expect, it } from "vitest";
import { lexNix, type NixToken } from "./nix-lexer.js";

const paths = (src: string) => lexNix(src).filter((t): t is Extract<NixToken, { kind: "path" }> => t.kind === "path").map((t) => t.text);
const strings = (src: string) => lexNix(src).filter((t): t is Extract<NixToken, { kind: "string" }> => t.kind === "string").map((t) => t.value);

describe("lexNix", () => {
  it("finds path literals and ignores paths inside comments and strings", () => {
    const src = `{
  # ./commented.nix
  /* ../block/comment.nix */
  a = ./real.nix;
  b = "./in-a-string.nix";
  c = ''
    ./in-an-indented-string.nix
  '';
}`;
    expect(paths(src)).toEqual(["./real.nix"]);
  });

  it("reads `a/b` as a path and `a / b` as a division, like Nix", () => {
    expect(paths("x: foo/bar.nix")).toEqual(["foo/bar.nix"]);
    expect(paths("a / b")).toEqual([]);
    expect(paths("{ a = b // c; }")).toEqual([]);
  });

  it("keeps an interpolated path whole and still sees the expressions inside", () => {
    const tokens = lexNix("./hosts/${name}/default.nix");
    expect(tokens[0]).toMatchObject({ kind: "path", text: "./hosts/${name}/default.nix", interpolated: true });
    expect(tokens.some((t) => t.kind === "ident" && t.text === "name")).toBe(true);
  });

  it("finds a path interpolated into a string", () => {
    expect(paths('"exec node ${./gateway.js} --port"')).toEqual(["./gateway.js"]);
    expect(paths("''exec node ${../x/run.js}''")).toEqual(["../x/run.js"]);
  });

  it("tells URIs, search paths and home paths apart", () => {
    const kinds = lexNix("[ https://example.org/x <nixpkgs/lib> ~/notes.nix /etc/hosts ]").filter((t) => t.kind !== "punct").map((t) => t.kind);
    expect(kinds).toEqual(["uri", "spath", "path", "path"]);
  });

  it("unescapes string values", () => {
    expect(strings(String.raw`"a\"b\n\${c}"`)).toEqual(['a"b\n${c}']);
    expect(strings("''it'''s ''${x} ''\\n''")).toEqual(["it''s ${x} \n"]);
  });

  it("does not treat `$${` as an interpolation", () => {
    const [token] = lexNix('"$${literal}"');
    expect(token).toMatchObject({ kind: "string", interpolated: false, value: "$${literal}" });
  });

  it("follows nested braces inside an interpolation to the right closing brace", () => {
    const tokens = lexNix('"${ { a = "x"; }.a }" + y');
    expect(tokens.filter((t) => t.kind === "ident").map((t) => (t as { text: string }).text)).toEqual(["a", "a", "y"]);
  });

  it("records offsets that point at the token in the source", () => {
    const src = 'let\n  password = "hunter2";\nin password';
    const str = lexNix(src).find((t) => t.kind === "string")!;
    expect(src.slice(str.offset, str.offset + 9)).toBe('"hunter2"');
  });
});
