export * from "./rules";
export * from "./derive";
export { shortHash } from "./hash";
