export { integerFlag, nonNegativeInt, positiveInt } from "./integer.ts";
