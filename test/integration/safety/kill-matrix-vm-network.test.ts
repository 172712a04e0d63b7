/** The kill -9 matrix, vm-network group: NICs, NIC bandwidth, floating IPs, ACLs, QoS. */

import { describeKillMatrix } from './kill-matrix.runner.js';
import { VM_NETWORK_MATRIX } from './kill-matrix-vm-network.entries.js';

describeKillMatrix('vm-network', VM_NETWORK_MATRIX);
