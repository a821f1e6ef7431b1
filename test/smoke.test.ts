import { test } from "node:test";
import assert from "node:assert/strict";
import { hello } from "typetorch";
test("smoke", () => { using x = { [Symbol.dispose]() {} }; assert.equal(hello, 1); });
