// Entry of soulgraph.bundle.js, the client in one file for a plain <script> tag: the module's
// Soulgraph class becomes the global `Soulgraph`, its other exports are properties of it.
import * as client from '../src/soulgraph.js';

globalThis.Soulgraph = Object.assign(client.Soulgraph, client);
