// Managed by nixos-stack from nixos-stack.json: change that file, then run `./stack.sh sync`. Hand edits here are detected and never overwritten.
// The repo's generators, for `npx plop add-target` and `npx plop remove-target` (after `npm install`).
// Each edits nixos-stack.json (keeping your formatting), checks the whole manifest, then re-renders
// the generated files in one atomic write; your own files are never touched.
// Answer from the command line: npx plop add-target -- --name lab --system x86_64-linux --address 192.168.1.20
import { registerRepoGenerators } from "@nixos-stack/generators";

export default async function plopfile(plop) {
  await registerRepoGenerators(plop);
}
