/** The kill -9 matrix, network-objects group: OVS bridges, OVN switches, address sets. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { NETWORK_OBJECTS_MATRIX } from './kill-matrix-network-objects.entries.js';

describeKillMatrix('network-objects', NETWORK_OBJECTS_MATRIX);
