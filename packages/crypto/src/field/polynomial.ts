import { Fr, randomScalar } from "./scalar.ts";

/** Coefficients a_0..a_{t-1} of a polynomial over Fr; a_0 is the shared secret. */
export type Polynomial = readonly bigint[];

/** A random polynomial of degree threshold-1 with the given constant term (or a random one). */
export function randomPolynomial(threshold: number, random: (n: number) => Uint8Array, constant?: bigint): Polynomial {
  const coefficients: bigint[] = [];
  coefficients.push(constant ?? randomScalar(random));
  for (let k = 1; k < threshold; k++) coefficients.push(randomScalar(random));
  return coefficients;
}

/** Evaluate the polynomial at x by Horner's rule (mod r). */
export function evaluatePolynomial(polynomial: Polynomial, x: bigint): bigint {
  let acc = 0n;
  for (let k = polynomial.length - 1; k >= 0; k--) {
    acc = Fr.add(Fr.mul(acc, x), polynomial[k] as bigint);
  }
  return acc;
}
