/**
 * The engine layer: the only package that talks to libtorch through JavaCPP. Everything above it sees Kodiak's
 * own types (internal SPI classes, marked "internal", may pass libtorch's {@code Tensor} and {@code Module}).
 *
 * <p>Where each gotcha of {@code ENGINE.md} is handled, and the test that would catch it coming back:
 * <ol>
 *   <li>cold-cache crash: {@link dev.kodiak.engine.Engine#init()} unpacks every native library first, and every
 *       class that touches libtorch starts its static initializer with it, so nothing can load libtorch before it
 *       ({@code ColdCacheTest} and the CLI's {@code ColdCacheCliTest}, tagged slow, in child JVMs with empty caches;
 *       {@code EngineFirstTest} checks every class of every module);</li>
 *   <li>GC-owned modules inside C++ containers: {@link dev.kodiak.engine.NativeModule} keeps them alive
 *       ({@code KeepAliveTest}, child JVM, with a crashing control);</li>
 *   <li>Sequential cannot hold Java modules: keep Java blocks in fields or a ModuleList and loop in Java;</li>
 *   <li>{@code java.lang.Module} shadows libtorch's: import {@code org.bytedeco.pytorch.Module} explicitly;</li>
 *   <li>{@code LongPointer.put(2, 2)} is put(index, value): the vision module's {@code ResNet} and
 *       {@code ResidualBlock} set whole arrays ({@code ResNetTorchInteropTest}: PyTorch's logits within 1e-4);</li>
 *   <li>stale bf16 autocast cache: {@link dev.kodiak.engine.Autocast} clears it on leaving
 *       ({@code AutocastTest}, with a stalling control);</li>
 *   <li>{@code randint} returns floats: {@link dev.kodiak.engine.Tensors#randint} asks for int64
 *       ({@code TensorsTest});</li>
 *   <li>native errors: {@link dev.kodiak.engine.NativeErrors} gives one line plus context
 *       ({@code NativeErrorsTest}).</li>
 * </ol>
 * Found while building this layer: libtorch's {@code scalar_type()} returns a fresh enum object per call, so compare
 * dtypes through {@link dev.kodiak.engine.Tensors#dtype}; under CPU autocast the bf16 copies of convolution weights
 * are cached but those of linear weights are not.
 *
 * <p>Memory: every step runs in a {@link dev.kodiak.engine.StepScope} ({@code StepScopeTest}: 300 steps, flat
 * object count and RSS, with a growing control).
 */
package dev.kodiak.engine;
