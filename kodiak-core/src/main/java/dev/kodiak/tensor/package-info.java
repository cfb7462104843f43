/**
 * Kodiak's tensor type: what losses, metrics, batch transforms, callbacks and model heads see. Every operation is
 * libtorch's; this package only spares users JavaCPP's types and memory rules.
 */
package dev.kodiak.tensor;
