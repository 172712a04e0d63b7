import { testbedEnv } from './testbed-env.js';

/** Runs once before the integration project: the test bed must be up, or every test fails loudly. */
export default function setup(): void {
  testbedEnv();
}
