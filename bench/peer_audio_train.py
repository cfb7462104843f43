#!/usr/bin/python3
"""The plain PyTorch + torchaudio baseline of bench/audio-scratch.sh: a ResNet-18 trained from scratch on spectrograms.

The split is Kodiak's (the validation files a Kodiak model file records, or a list of them one a line, as
bench/KodiakSplit.java prints them), so both train and validate on the same
clips. Per clip: torchaudio.load (wav, flac, mp3, ogg/opus, ogg/vorbis all load in Debian's torchaudio 0.13 through
sox_io) -> mean of the channels -> Resample to RATE (Kaiser window as bench/peer_audio.py) -> SECONDS: a random crop
in training, the centre in validation, short clips zero-padded at the end -> MelSpectrogram(n_fft 1024, hop 256,
window 1024, 64 HTK mels, 0 Hz to Nyquist, power 2) -> AmplitudeToDB(top_db 80), the same parameters Kodiak uses.
Model: torchvision resnet18(weights=None, num_classes=labels) with conv1 taking one channel. Adam(lr) with
OneCycleLR(max_lr=lr) over all steps, PyTorch's defaults otherwise; batches of BS, shuffled, the last partial batch
dropped in training (as Kodiak). Prints one JSON line: accuracy on the validation clips, epochs, seconds.

Usage: peer_audio_train.py DIR MODEL.kodiak|VALID.txt EPOCHS BS LR SEED [RATE] [SECONDS]"""
import json
import os
import sys
import time
import zipfile

import torch
import torchaudio
import torchvision

from peer_audio import find_audio


class Clips(torch.utils.data.Dataset):
    def __init__(self, files, labels, rate, samples, training):
        self.files, self.labels, self.rate, self.samples, self.training = files, labels, rate, samples, training
        self.resamplers = {}
        self.mel = torchaudio.transforms.MelSpectrogram(sample_rate=rate, n_fft=1024, hop_length=256, win_length=1024,
                                                        n_mels=64, f_min=0.0, f_max=rate / 2, mel_scale="htk",
                                                        norm=None, power=2.0)
        self.to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80)

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
            start = int(torch.randint(0, n - self.samples + 1, ())) if self.training else (n - self.samples) // 2
            wave = wave[start:start + self.samples]
        else:
            wave = torch.nn.functional.pad(wave, (0, self.samples - n))
        return self.to_db(self.mel(wave.unsqueeze(0))), self.labels[i]


def main():
    root, model_file = sys.argv[1], sys.argv[2]
    epochs, bs, lr, seed = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    rate = int(sys.argv[7]) if len(sys.argv) > 7 else 16000
    seconds = float(sys.argv[8]) if len(sys.argv) > 8 else 1.0
    torch.manual_seed(seed)
    torch.set_num_threads(os.cpu_count())
    files = find_audio(root)
    rel = [os.path.relpath(f, root).replace(os.sep, "/") for f in files]
    if model_file.endswith(".kodiak"):
        with zipfile.ZipFile(model_file) as z:
            manifest = json.loads(z.read("manifest.json"))
        valid = set(manifest["training"]["data"]["valid_files"])
        classes = manifest["output"]["labels"]
    else:  # the validation files, one a line (bench/KodiakSplit.java); labels sorted as Kodiak's vocabulary
        with open(model_file) as f:
            valid = set(line.strip() for line in f if line.strip())
        classes = sorted(set(r.split("/")[0] for r in rel))
    labels = [classes.index(r.split("/")[0]) for r in rel]
    tr = [i for i, r in enumerate(rel) if r not in valid]
    va = [i for i, r in enumerate(rel) if r in valid]
    if len(va) != len(valid):
        sys.exit(f"the model's {len(valid)} validation files are not all under {root}")
    samples = round(seconds * rate)
    train = Clips([files[i] for i in tr], [labels[i] for i in tr], rate, samples, True)
    val = Clips([files[i] for i in va], [labels[i] for i in va], rate, samples, False)
    train_dl = torch.utils.data.DataLoader(train, batch_size=bs, shuffle=True, drop_last=True, num_workers=1,
                                           persistent_workers=True)
    valid_dl = torch.utils.data.DataLoader(val, batch_size=bs, num_workers=1)
    model = torchvision.models.resnet18(weights=None, num_classes=len(classes))
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * len(train_dl))
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        for x, y in train_dl:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        correct, total, vloss = 0, 0, 0.0
        with torch.no_grad():
            for x, y in valid_dl:
                out = model(x)
                vloss += float(loss_fn(out, y)) * len(y)
                correct += int((out.argmax(1) == y).sum())
                total += len(y)
        print(f"epoch {epoch}: train_loss {float(loss):.4f} valid_loss {vloss / total:.4f} accuracy {correct / total:.4f}",
              file=sys.stderr)
    print(json.dumps({"accuracy": correct / total, "valid": total, "train": len(tr), "epochs": epochs,
                      "seconds": round(time.perf_counter() - start, 1)}))


if __name__ == "__main__":
    main()
