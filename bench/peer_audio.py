#!/usr/bin/python3
"""PyTorch + torchaudio peer of bench/AudioPipelineBench.java: the same audio pipeline with the usual tools.
A Dataset whose items are torchaudio.load (sox_io: wav, flac, mp3, ogg, opus) -> mean of the channels ->
torchaudio.transforms.Resample to RATE (one cached transform per source rate and worker; Kaiser window, beta 5,
10 zero crossings, rolloff 1.0: the settings closest to Kodiak's scipy-matched resampler) -> fixed duration (centre
crop, zero pad at the end); DataLoader(batch_size=BS, num_workers=N, drop_last=True, persistent_workers=True, in
order); the main process computes MelSpectrogram(n_fft 1024, hop 256, 64 HTK mels, power 2) + AmplitudeToDB(top_db 80)
on each [BS, 1, T] batch with torch.set_num_threads(nproc). One untimed pass, then PASSES timed passes per round;
prints one JSON line with the median clips/second over ROUNDS. Needs Debian's python3-torch and python3-torchaudio.

Usage: peer_audio.py DIR WORKERS PASSES ROUNDS [BS] [RATE] [SECONDS]"""
import json
import os
import statistics
import sys
import time

import torch
import torchaudio

EXTENSIONS = {"wav", "flac", "mp3", "ogg", "m4a", "opus"}  # what Kodiak's AudioFiles.find accepts


def find_audio(root):
    """Sound files under root, recursively, hidden folders and files skipped, sorted by path (as AudioFiles.find)."""
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for n in sorted(names):
            if not n.startswith(".") and n.rsplit(".", 1)[-1].lower() in EXTENSIONS:
                files.append(os.path.join(d, n))
    return sorted(files, key=lambda f: os.path.relpath(f, root).split(os.sep))


class Clips(torch.utils.data.Dataset):
    def __init__(self, files, rate, samples):
        self.files, self.rate, self.samples = files, rate, samples
        self.resamplers = {}

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        wave, rate = torchaudio.load(self.files[i])
        wave = wave.mean(0)
        if rate != self.rate:
            if rate not in self.resamplers:
                self.resamplers[rate] = torchaudio.transforms.Resample(
                    rate, self.rate, resampling_method="kaiser_window", lowpass_filter_width=10, rolloff=1.0,
                    beta=5.0)
            wave = self.resamplers[rate](wave)
        n = wave.shape[0]
        if n >= self.samples:
            start = (n - self.samples) // 2
            return wave[start:start + self.samples]
        return torch.nn.functional.pad(wave, (0, self.samples - n))


def main():
    root, workers, passes, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    bs = int(sys.argv[5]) if len(sys.argv) > 5 else 32
    rate = int(sys.argv[6]) if len(sys.argv) > 6 else 16000
    seconds = float(sys.argv[7]) if len(sys.argv) > 7 else 1.0
    torch.set_num_threads(os.cpu_count())
    files = find_audio(root)
    samples = round(seconds * rate)
    loader = torch.utils.data.DataLoader(Clips(files, rate, samples), batch_size=bs, num_workers=workers,
                                         drop_last=True, persistent_workers=workers > 0, shuffle=False)
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=rate, n_fft=1024, hop_length=256, win_length=1024,
                                               n_mels=64, mel_scale="htk", norm=None, power=2.0)
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80)
    per_round, sink, batches = [], 0.0, 0
    with torch.inference_mode():
        for r in range(rounds + 1):
            start, clips = time.perf_counter(), 0
            for _ in range(1 if r == 0 else passes):
                for x in loader:
                    sink += float(to_db(mel(x.unsqueeze(1))).mean())
                    clips += x.shape[0]
                    batches += 1
            if r > 0:  # round 0 warms up
                per_round.append(clips / (time.perf_counter() - start))
    print(json.dumps({"side": "pytorch", "workers": workers, "bs": bs, "clips": len(files) // bs * bs,
                      "torch_threads": torch.get_num_threads(),
                      "clips_per_second": {"median": round(statistics.median(per_round), 1),
                                           "rounds": [round(v, 1) for v in per_round]},
                      "check": round(sink / batches, 3)}))


if __name__ == "__main__":
    main()
