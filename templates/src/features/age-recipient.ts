/**
 * An SSH ed25519 public key as an age recipient (`age1…`), as `ssh-to-age` computes it
 * (Mic92/ssh-to-age convert.go: the Edwards point's Montgomery u = (1 + y) / (1 - y) mod 2^255 - 19,
 * little-endian, bech32 with the "age" prefix). sops takes only age recipients in .sops.yaml,
 * so nixos-stack writes the admins' and hosts' keys in that form; `ssh-to-age` gives the same line.
 */
const P = 2n ** 255n - 19n;
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/** Pure: the X25519 public key (32 bytes) of an Ed25519 public key. */
export function ed25519ToX25519(pub: Uint8Array): Uint8Array {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? pub[i]! & 0x7f : pub[i]!);
  let u = ((1n + y) * modPow((1n - y + P) % P, P - 2n)) % P;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, u >>= 8n) out[i] = Number(u & 0xffn);
  return out;
}

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    GENERATORS.forEach((g, i) => {
      if ((top >>> i) & 1) chk ^= g;
    });
  }
  return chk;
}

/** Pure: BIP-173 bech32 (not bech32m), as age encodes its keys. */
export function bech32(hrp: string, data: Uint8Array): string {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of data) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits) words.push((acc << (5 - bits)) & 31);
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  const mod = polymod([...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...words, ...checksum].map((w) => BECH32[w]).join("")}`;
}

/** The age recipient of an `ssh-ed25519 AAAA… comment` line, or undefined for any other key type. */
export function ageRecipientOfSshKey(line: string): string | undefined {
  const [type, base64] = line.trim().split(/\s+/);
  if (type !== "ssh-ed25519" || !base64) return undefined;
  const blob = Buffer.from(base64, "base64");
  if (blob.length < 32) return undefined;
  return bech32("age", ed25519ToX25519(blob.subarray(blob.length - 32)));
}
