#!/usr/bin/python3
"""Builds data/words4: spoken "yes", "no", "up", "down" synthesized with espeak-ng, in mixed containers and rates.

Deterministic: every clip's voice, speed, pitch, offset, noise and format come from a seeded generator, and the
encoders are asked for bit-exact output (no version tags), so the same Debian packages (espeak-ng 1.51, ffmpeg 5.1)
give the same files. Run from the repository root:  /usr/bin/python3 data/make_words4.py
Needs: espeak-ng, ffmpeg (libopus, libvorbis, libmp3lame), numpy.
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "words4")
WORDS = ["yes", "no", "up", "down"]
PER_WORD = 40
SEED = 15
# espeak-ng's own formant voices (no MBROLA recordings): accents x variants give distinct speakers.
ACCENTS = ["en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-gb-x-gbclan"]
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3",
            "croak", "grandpa", "grandma", "adam", "linda", "john", "Alicia", "Andy", "belinda", "david", "edward",
            "max", "Michael", "Mr serious", "steph", "rob", "quincy", "Lee", "paul", "zac"]
# (extension, sample rate, channels, ffmpeg codec arguments); weights below keep the whole folder under 5 MB.
FORMATS = [
    ("wav", 16000, 1, ["-c:a", "pcm_s16le"]),
    ("wav", 44100, 2, ["-c:a", "pcm_s16le"]),
    ("wav", 8000, 1, ["-c:a", "pcm_u8"]),
    ("flac", 22050, 1, ["-c:a", "flac"]),
    ("flac", 48000, 2, ["-c:a", "flac"]),
    ("opus", 48000, 1, ["-c:a", "libopus", "-b:a", "32k"]),
    ("ogg", 44100, 2, ["-c:a", "libvorbis", "-q:a", "3"]),
    ("mp3", 22050, 1, ["-c:a", "libmp3lame", "-b:a", "48k"]),
]
WEIGHTS = [0.15, 0.03, 0.05, 0.17, 0.03, 0.22, 0.17, 0.18]
RATE = 22050  # espeak-ng's output rate
SECONDS = 1.0


def speak(word, voice, speed, pitch):
    """espeak-ng's 16-bit mono samples at 22.05 kHz, as floats in [-1, 1]."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", word],
                         check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        if w.getframerate() != RATE or w.getsampwidth() != 2:
            sys.exit("unexpected espeak-ng output for voice " + voice)
        # espeak-ng's stream header leaves the sizes open: read every frame that is there
        x = np.frombuffer(w.readframes(10 ** 7), dtype="<i2")
    return x.astype(np.float64) / 32768.0


def clip(rng, word):
    """One second: the word at a random offset, scaled, with white noise at a random SNR (15-40 dB)."""
    voice = rng.choice(ACCENTS) + "+" + rng.choice(VARIANTS)
    speed = int(rng.integers(120, 221))
    pitch = int(rng.integers(20, 81))
    x = speak(word, voice, speed, pitch)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    x = x[loud[0]:loud[-1] + 1] if loud.size else x
    n = int(SECONDS * RATE)
    x = x[:n]
    out = np.zeros(n)
    start = int(rng.integers(0, n - len(x) + 1))
    out[start:start + len(x)] = x
    out *= rng.uniform(0.3, 0.9) / max(1e-9, np.max(np.abs(out)))
    snr = rng.uniform(15, 40)
    power = np.mean(out[start:start + len(x)] ** 2)
    out += rng.normal(0, np.sqrt(power / 10 ** (snr / 10)), n)
    return np.clip(out, -1, 1), dict(voice=voice, speed=speed, pitch=pitch, start=round(start / RATE, 3),
                                     snr=round(snr, 1))


def encode(samples, ext, rate, channels, codec, target, scratch):
    """Writes the 22.05 kHz float clip as a temporary WAV file, then ffmpeg converts rate, channels and codec."""
    src = os.path.join(scratch, "clip.wav")
    with wave.open(src, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.round(samples * 32767)).astype("<i2").tobytes())
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", src,
                    "-ar", str(rate), "-ac", str(channels), *codec, "-map_metadata", "-1",
                    "-fflags", "+bitexact", "-flags:a", "+bitexact", target], check=True)


def main():
    for word in WORDS:  # README.txt stays: it is written by hand
        shutil.rmtree(os.path.join(OUT, word), ignore_errors=True)
    rng = np.random.default_rng(SEED)
    rows = ["file\tword\tvoice\tspeed_wpm\tpitch\tstart_s\tsnr_db\tcontainer\tsample_rate\tchannels"]
    with tempfile.TemporaryDirectory() as scratch:
        for word in WORDS:
            os.makedirs(os.path.join(OUT, word))  # also makes OUT
            for i in range(PER_WORD):
                samples, how = clip(rng, word)
                ext, rate, channels, codec = FORMATS[rng.choice(len(FORMATS), p=WEIGHTS)]
                name = f"{word}/{word}_{i:03d}.{ext}"
                encode(samples, ext, rate, channels, codec, os.path.join(OUT, name), scratch)
                rows.append("\t".join(str(v) for v in [name, word, how["voice"], how["speed"], how["pitch"],
                                                        how["start"], how["snr"], ext, rate, channels]))
    with open(os.path.join(OUT, "SOURCES.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
