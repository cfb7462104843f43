/** Sound as model input: finding and decoding audio files, resampling, spectrograms and augmentation. */
package dev.kodiak.audio;
