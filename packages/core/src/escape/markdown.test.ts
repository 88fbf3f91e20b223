import { expect, it } from "vitest";
import { md } from "./markdown.js";

it("md escapes characters that would start Markdown or HTML syntax", () => {
  expect(md("a|b <script> *x*")).toBe("a\\|b \\<script\\> \\*x\\*");
  expect(md("two\nlines")).toBe("two lines");
});
