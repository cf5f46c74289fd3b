import fc from "fast-check";

/** Values that fail when printed: no prototype, a toString or toPrimitive that throws, a Symbol, a BigInt. */
export const unprintable = fc.constantFrom<unknown>(
  Object.create(null),
  {
    toString() {
      throw new Error("caller's toString");
    },
  },
  {
    [Symbol.toPrimitive]() {
      throw new Error("caller's toPrimitive");
    },
  },
  Symbol("s"),
  10n,
);
