using System.Diagnostics;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Modeling;
using DigitMl.Training.Native;
using DigitMl.Training.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// Trains a YOLOv8 detector as the reference's trainer does: per-batch augmentation prepared on background
/// threads, the YOLOv8 loss, nominal-batch gradient accumulation, gradient clipping, warmup and linear/cosine
/// lr decay, EMA weights; after every epoch the EMA weights are validated (mAP with <see cref="DetectionEvaluator"/>),
/// last.ckpt / best.ckpt and results.csv are written, and training stops early after <c>Patience</c> epochs without
/// a better fitness. Gradients still accumulated at the end of an epoch are applied then, so an epoch boundary is
/// a clean point to resume from: 1 epoch + resume 1 epoch gives the weights of 2 epochs in one run.
/// </summary>
public static class TrainingLoop
{
    /// <summary>
    /// Background loader threads only on cores libtorch leaves free: beside libtorch's threads on every core they
    /// compete with it, and building batches on the training thread was measured faster on 2 cores (bf16: 134-143
    /// images/s with 0 workers against 122-139 with 2, docs/training.md "Throughput").
    /// </summary>
    internal static int LoaderWorkers(int workers, int threads, int cores)
    {
        int torchThreads = threads > 0 ? threads : cores;
        return Math.Clamp(cores - torchThreads, 0, workers);
    }

    /// <param name="train">training samples; with <see cref="YoloV8TrainerOptions.Orientations"/> = 4 their class ids
    /// are turn-aware (turn * nc + class, docs/orientation.md).</param>
    /// <param name="names">the dataset's class names (nc of them, never the turn-aware ones).</param>
    public static TrainingResult Run(YoloV8TrainerOptions options, IReadOnlyList<YoloSample> train, IReadOnlyList<YoloSample> val,
        IReadOnlyList<string> names, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(val);
        ArgumentNullException.ThrowIfNull(names);
        options.ThrowIfInvalid();
        if (train.Count == 0) throw new ArgumentException("the training split has no images", nameof(train));
        if (names.Count == 0) throw new ArgumentException("no class names", nameof(names));
        ThrowIfLabelsOutOfRange(train, names.Count * options.Orientations, "train");
        ThrowIfLabelsOutOfRange(val, names.Count, "val");

        using var run = new TrainingRun(options, train, val, names, progress, ct);
        return run.Execute();
    }

    private static void ThrowIfLabelsOutOfRange(IReadOnlyList<YoloSample> samples, int classes, string split)
    {
        foreach (var s in samples)
            foreach (var o in s.Objects)
                if (o.ClassId < 0 || o.ClassId >= classes)
                    throw new ArgumentException($"{s.ImagePath}: class {o.ClassId} in the {split} split is outside the {classes} classes the trainer learns");
    }

    /// <summary>The state of one call to <see cref="Train"/>.</summary>
    private sealed class TrainingRun : IDisposable
    {
        private readonly YoloV8TrainerOptions _o;
        private readonly IReadOnlyList<YoloSample> _train;
        private readonly IReadOnlyList<YoloSample> _val;
        private readonly IReadOnlyList<string> _names;
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly CancellationToken _ct;
        private readonly string _lastPath;
        private readonly string _bestPath;
        private readonly string _csvPath;
        private readonly Device _device;
        private readonly YoloV8Model _model;
        private readonly ModelEma _ema;
        private readonly OptimizerChoice _optimizer;
        private readonly DetectionLoss _loss;
        private readonly LearningRateSchedule _schedule;
        private readonly TrainBatchLoader _loader;
        private readonly bool _cacheImages;
        private readonly string? _cacheNote;
        private readonly List<TorchSharp.Modules.Parameter> _trainable;
        private readonly TrainingPrecision _precision;
        private readonly StepProfile _profile = new();
        private TrainingThreads? _threads;
        private ValidationSet? _validation;
        private List<EpochMetrics> _history = [];
        private double _bestFitness = double.NegativeInfinity;
        private int _bestEpoch = -1;
        private long _optimizerSteps;
        private int _startEpoch;

        public TrainingRun(YoloV8TrainerOptions options, IReadOnlyList<YoloSample> train, IReadOnlyList<YoloSample> val,
            IReadOnlyList<string> names, IProgress<TrainingProgress>? progress, CancellationToken ct)
        {
            _o = options;
            _train = train;
            _val = val;
            _names = names;
            _progress = progress;
            _ct = ct;
            Directory.CreateDirectory(options.OutputDirectory);
            _lastPath = Path.Combine(options.OutputDirectory, TrainingFiles.LastCheckpoint);
            _bestPath = Path.Combine(options.OutputDirectory, TrainingFiles.BestCheckpoint);
            _csvPath = Path.Combine(options.OutputDirectory, TrainingFiles.ResultsCsv);
            _device = torch.device(options.Device);
            _precision = TrainingPrecision.Resolve(options.Precision, options.Device);

            manual_seed(options.Seed);
            _model = new YoloV8Model(options.Scale, names.Count, YoloV8Model.DefaultRegMax, options.Orientations, options.PriorImageSize);
            if (options.Init is not null && !options.Resume) InitialiseWeights(options.Init);
            _model.Freeze(options.Freeze);
            _model.to(_device);
            _trainable = [.. _model.parameters().Where(p => p.requires_grad)];

            int batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
            _schedule = new LearningRateSchedule(options.Epochs, batchesPerEpoch, options.BatchSize, options);
            double weightDecay = options.WeightDecay * options.BatchSize * _schedule.Accumulate / options.NominalBatchSize;
            long iterations = (long)Math.Ceiling((double)train.Count / Math.Max(options.BatchSize, options.NominalBatchSize)) * options.Epochs;
            _optimizer = OptimizerFactory.Build(_model, options, iterations, weightDecay);
            _ema = new ModelEma(_model, options.EmaDecay, options.EmaTau);
            _loss = new DetectionLoss(_model.Head.HeadClasses, _model.Strides, _model.RegMax, options.LossGains, options.AssignerMinSide);
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            _cacheImages = options.CacheImages && TrainBatchLoader.CacheFits(train, available);
            if (options.CacheImages && !_cacheImages)
                _cacheNote = $"training images not cached: decoded they take {TrainBatchLoader.DecodedBytes(train) / 1e9:0.0} GB, more than half of the "
                    + $"{available / 1e9:0.0} GB this process may use; each batch decodes its images instead (cache=false says so up front)";
            _loader = new TrainBatchLoader(train, options.ImageSize, options.BatchSize, options.ToAugmentationOptions(),
                options.Seed, LoaderWorkers(options.Workers, options.Threads, CpuBudget.AvailableCores), options.Prefetch, _cacheImages);
            if (options.Resume) RestoreFromLast();
        }

        public TrainingResult Execute()
        {
            using var threads = _threads = new TrainingThreads(_o.Threads, _o.CoreShareDirectory);
            Note($"precision {_precision.Name}{(_o.Precision == "auto" ? " (auto)" : "")}, {threads.Describe()}");
            bool stop = _startEpoch >= _o.Epochs || (_bestEpoch >= 0 && _history.Count > 0 && _history[^1].Epoch - 1 - _bestEpoch >= _o.Patience);
            if (!stop) PreloadImages(threads.Current);
            double totalImages = 0, totalSeconds = 0, totalWait = 0;
            bool stoppedEarly = false;
            for (int epoch = _startEpoch; epoch < _o.Epochs && !stop; epoch++)
            {
                var (trainLosses, lrs, images, seconds, wait) = TrainEpoch(epoch);
                totalImages += images;
                totalSeconds += seconds;
                totalWait += wait;

                var validationClock = Stopwatch.StartNew();
                var (metrics, valLosses) = Validate(epoch);
                var row = new EpochMetrics
                {
                    Epoch = epoch + 1,
                    TrainBoxLoss = trainLosses.Box,
                    TrainClsLoss = trainLosses.Cls,
                    TrainDflLoss = trainLosses.Dfl,
                    Precision = metrics?.Precision ?? 0,
                    Recall = metrics?.Recall ?? 0,
                    Map50 = metrics?.Map50 ?? 0,
                    Map50To95 = metrics?.Map50To95 ?? 0,
                    ValBoxLoss = valLosses.Box,
                    ValClsLoss = valLosses.Cls,
                    ValDflLoss = valLosses.Dfl,
                    LearningRates = lrs,
                    ImagesPerSecond = images / Math.Max(seconds, 1e-9),
                    DataWaitFraction = wait / Math.Max(seconds, 1e-9),
                    ValidationSeconds = validationClock.Elapsed.TotalSeconds,
                };
                _history.Add(row);

                // without validation the reference ranks epochs by negative training loss
                double fitness = metrics is not null ? row.Fitness : -(row.TrainBoxLoss + row.TrainClsLoss + row.TrainDflLoss);
                bool improved = fitness >= _bestFitness;
                if (improved)
                {
                    _bestFitness = fitness;
                    _bestEpoch = epoch;
                }
                SaveCheckpoints(epoch + 1, fitness, improved);
                ResultsCsv.Write(_csvPath, _history);

                if (epoch - _bestEpoch >= _o.Patience && epoch + 1 < _o.Epochs)
                {
                    stop = true;
                    stoppedEarly = true;
                }
                Report(TrainingPhase.EpochCompleted, epoch, _loader.BatchesPerEpoch, _loader.BatchesPerEpoch, trainLosses, lrs[0], row.ImagesPerSecond, TimeSpan.Zero, row);
            }

            if (_history.Count == 0) throw new InvalidOperationException("no epoch was trained");
            var best = _history.FirstOrDefault(h => h.Epoch == _bestEpoch + 1) ?? _history[^1];
            return new TrainingResult(_bestPath, _lastPath, _history.Count, best, _history,
                totalSeconds > 0 ? totalImages / totalSeconds : _history[^1].ImagesPerSecond,
                totalSeconds > 0 ? totalWait / totalSeconds : _history[^1].DataWaitFraction)
            {
                StoppedEarly = stoppedEarly,
                ResultsCsv = _csvPath,
                Precision = _precision.Name,
                Threads = threads.Current,
                Profile = _profile,
            };
        }

        private ((float Box, float Cls, float Dfl) Losses, double[] Lrs, double Images, double Seconds, double Wait) TrainEpoch(int epoch)
        {
            int batches = _loader.BatchesPerEpoch;
            double factor = _schedule.Factor(epoch);
            foreach (var group in _optimizer.Optimizer.Groups) group.LearningRate = group.InitialLearningRate * factor;

            SetTrainMode();
            if (_threads?.Check(now: true) == true) Note($"cores shared: {_threads.Describe()}");
            bool mosaic = epoch < _o.Epochs - _o.CloseMosaic;
            _loader.StartEpoch(epoch, mosaic);
            _optimizer.Optimizer.ZeroGrad();

            double box = 0, cls = 0, dfl = 0, images = 0, wait = 0;
            int pending = 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < batches; i++)
            {
                if (_ct.IsCancellationRequested)
                {
                    // the last completed epoch's checkpoint stays as it is; the partial epoch is dropped
                    _optimizer.Optimizer.ZeroGrad();
                    _ct.ThrowIfCancellationRequested();
                }
                long iteration = i + ((long)batches * epoch);
                var waitStart = clock.Elapsed;
                TrainBatch batch;
                using (_profile.Measure(StepPhase.DataWait))
                    batch = _loader.Take(i);
                wait += (clock.Elapsed - waitStart).TotalSeconds;

                if (_schedule.InWarmup(iteration)) ApplyWarmup(iteration, factor);
                int accumulate = _schedule.AccumulateAt(iteration);

                using (var scope = NewDisposeScope())
                {
                    Tensor input, targets, mask;
                    using (_profile.Measure(StepPhase.HostToTensor))
                    {
                        (input, targets, mask) = ToTensors(batch, _precision);
                    }
                    Tensor[] raw;
                    using (_profile.Measure(StepPhase.Forward))
                        raw = TrainingPrecision.ToFloat32(_model.forward(input));
                    // without loader workers the next batch is built on the other core while the assigner and the
                    // loss run (they leave it mostly idle), paused while the backward's threads take every core;
                    // the rest of it is built by Take (docs/training.md, "Building the next batch ahead")
                    _loader.BuildAhead(i + 1);
                    using var result = _loss.Compute(raw, targets, mask, _profile);
                    if (!float.IsFinite(result.Box + result.Cls + result.Dfl))
                        throw new InvalidOperationException($"training diverged: loss is not finite at epoch {epoch + 1}, batch {i + 1} (box {result.Box}, cls {result.Cls}, dfl {result.Dfl}); lower lr0");
                    _loader.PauseAhead();
                    using (_profile.Measure(StepPhase.Backward))
                        result.Total.backward();
                    _loader.ResumeAhead();
                    box = ((box * i) + result.Box) / (i + 1);
                    cls = ((cls * i) + result.Cls) / (i + 1);
                    dfl = ((dfl * i) + result.Dfl) / (i + 1);
                }
                images += batch.Count;
                _profile.CountBatch(batch.Count);
                if (++pending >= accumulate)
                {
                    OptimizerStep(epoch, i);
                    pending = 0;
                }

                using (_profile.Measure(StepPhase.Logging))
                {
                    double elapsed = clock.Elapsed.TotalSeconds;
                    double perBatch = elapsed / (i + 1);
                    var eta = TimeSpan.FromSeconds(perBatch * ((batches - i - 1) + ((double)batches * (_o.Epochs - epoch - 1))));
                    Report(TrainingPhase.Training, epoch, i + 1, batches, ((float)box, (float)cls, (float)dfl),
                        _optimizer.Optimizer.Groups[0].LearningRate, images / Math.Max(elapsed, 1e-9), eta, null);
                    if (_threads?.Check() == true) Note($"cores shared: {_threads.Describe()}");
                }
            }
            if (pending > 0) OptimizerStep(epoch, batches - 1);
            double seconds = clock.Elapsed.TotalSeconds;
            var lrs = _optimizer.Optimizer.Groups.Select(g => g.LearningRate).ToArray();
            return (((float)box, (float)cls, (float)dfl), lrs, images, seconds, wait);
        }

        /// <summary>
        /// Every training image decoded into the loader's cache on all of this job's cores before the first step: on
        /// 2 cores the batches are built beside the assigner and the loss or between steps, where the decoding would
        /// run on one core while the other waits (docs/training.md, "Throughput").
        /// </summary>
        private void PreloadImages(int threads)
        {
            if (_cacheNote is not null) Note(_cacheNote);
            if (!_cacheImages) return;
            var clock = Stopwatch.StartNew();
            int decoded = _loader.Preload(threads, _ct);
            if (decoded > 0) Note($"{decoded} training images decoded into memory on {threads} thread{(threads == 1 ? "" : "s")} in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        private void ApplyWarmup(long iteration, double factor)
        {
            int j = 0;
            foreach (var group in _optimizer.Optimizer.Groups)
            {
                double start = j == 0 ? _optimizer.WarmupBiasLr : 0.0;
                group.LearningRate = _schedule.WarmupValue(iteration, start, group.InitialLearningRate * factor);
                group.Momentum = _schedule.WarmupValue(iteration, _o.WarmupMomentum, _o.Momentum);
                j++;
            }
        }

        private void OptimizerStep(int epoch, int batch)
        {
            using (_profile.Measure(StepPhase.Optimizer))
            {
                // bf16 has float32's exponent range: no loss scaling, and a gradient that overflows is a divergence
                double norm = nn.utils.clip_grad_norm_(_trainable, _o.MaxGradNorm);
                if (!double.IsFinite(norm))
                    throw new InvalidOperationException($"training diverged: the gradient norm is not finite at epoch {epoch + 1}, batch {batch + 1} ({_precision.Name}); lower lr0");
                _optimizer.Optimizer.Step();
                _optimizer.Optimizer.ZeroGrad();
            }
            using (_profile.Measure(StepPhase.Ema))
                _ema.Update();
            _optimizerSteps++;
        }

        /// <summary>The batch as tensors on the device, its images in <paramref name="precision"/>'s dtype and layout (call inside a dispose scope).</summary>
        private (Tensor Input, Tensor Targets, Tensor Mask) ToTensors(TrainBatch batch, TrainingPrecision precision)
        {
            var pixels = tensor(batch.Pixels, [batch.Count, batch.ImageSize, batch.ImageSize, 3]).to(_device);
            var input = precision.InputFromPixels(pixels);
            var targets = tensor(batch.Targets, [batch.Count, batch.MaxBoxes, 5]).to(_device);
            var mask = tensor(batch.Mask, [batch.Count, batch.MaxBoxes]).to(_device);
            return (input, targets, mask);
        }

        /// <summary>Training mode, except the batch-norm layers of frozen layers, which keep their statistics (as the reference).</summary>
        private void SetTrainMode()
        {
            _model.train();
            if (_o.Freeze <= 0) return;
            foreach (var (name, module) in _model.named_modules())
            {
                if (module is not TorchSharp.Modules.BatchNorm) continue;
                var parts = name.Split('.');
                if (parts.Length > 1 && parts[0] == "model" && int.TryParse(parts[1], out int layer) && layer < _o.Freeze) module.eval();
            }
        }

        private (DetectionMetrics? Metrics, (float Box, float Cls, float Dfl) Losses) Validate(int epoch)
        {
            if (!_o.Validate || _val.Count == 0) return (null, (0, 0, 0));
            _validation ??= ValidationSet.Build(_val, _o.ImageSize, _o.ValBatchSize ?? (2 * _o.BatchSize));
            Report(TrainingPhase.Validating, epoch, _loader.BatchesPerEpoch, _loader.BatchesPerEpoch, (0, 0, 0), 0, 0, TimeSpan.Zero, null);

            var model = _ema.Model;
            model.eval();
            var predictions = new List<IReadOnlyList<Data.Detection>>(_val.Count);
            double box = 0, cls = 0, dfl = 0;
            int offset = 0;
            using (no_grad())
            {
                foreach (var batch in _validation.Batches)
                {
                    using var scope = NewDisposeScope();
                    // the float32 EMA model on float32 batches, in the faster channels-last layout
                    var (input, targets, mask) = ToTensors(batch, TrainingPrecision.Float32);
                    var raw = model.forward(input);
                    using var loss = _loss.Compute(raw, targets, mask);
                    box += loss.Box * batch.Count;
                    cls += loss.Cls * batch.Count;
                    dfl += loss.Dfl * batch.Count;
                    var decoded = model.Decode(raw).to(float32).cpu().contiguous();
                    var letterboxes = _validation.Letterboxes.AsSpan(offset, batch.Count).ToArray();
                    predictions.AddRange(TrainingPredictor.Postprocess(decoded, model.NumClasses, letterboxes, _o.ValConf, _o.ValIoU, _o.MaxDetections, _names));
                    offset += batch.Count;
                }
            }
            var metrics = DetectionEvaluator.Evaluate(_validation.GroundTruth, predictions, _names);
            int n = _val.Count;
            return (metrics, ((float)(box / n), (float)(cls / n), (float)(dfl / n)));
        }

        private void SaveCheckpoints(int epochsDone, double fitness, bool improved)
        {
            var info = new CheckpointInfo
            {
                Names = [.. _names],
                Scale = _o.Scale,
                ImageSize = _o.ImageSize,
                Epoch = epochsDone,
                RegMax = _model.RegMax,
                Orientations = _model.Orientations,
                Fitness = fitness,
            };
            var state = new TrainerState
            {
                OptimizerName = _optimizer.Name,
                EmaUpdates = _ema.Updates,
                BestFitness = _bestFitness,
                BestEpoch = _bestEpoch,
                OptimizerSteps = _optimizerSteps,
                History = _history,
                Seed = _o.Seed,
                Epochs = _o.Epochs,
                BatchSize = _o.BatchSize,
            };
            Checkpoint.Save(_lastPath, _model, _ema.Model, _optimizer.Optimizer, info, state);
            if (improved) File.Copy(_lastPath, _bestPath + ".tmp", overwrite: true);
            if (improved) File.Move(_bestPath + ".tmp", _bestPath, overwrite: true);
        }

        private void RestoreFromLast()
        {
            if (!File.Exists(_lastPath))
                throw new FileNotFoundException($"{_lastPath}: nothing to resume from (no last checkpoint in the output directory)", _lastPath);
            using var data = Checkpoint.Read(_lastPath);
            var state = data.State ?? throw new InvalidDataException($"{_lastPath}: checkpoint has no trainer state to resume from");
            if (!data.Info.Names.SequenceEqual(_names))
                throw new InvalidDataException($"{_lastPath}: class names [{string.Join(",", data.Info.Names)}] differ from the dataset's [{string.Join(",", _names)}]");
            if (data.Info.Scale != _o.Scale)
                throw new InvalidDataException($"{_lastPath}: trained at scale {data.Info.Scale.Name}, options ask for {_o.Scale.Name}");
            if (data.Info.Orientations != _o.Orientations)
                throw new InvalidDataException($"{_lastPath}: trained with {data.Info.Orientations} orientations, options ask for {_o.Orientations}");
            if (state.OptimizerName != _optimizer.Name)
                throw new InvalidDataException($"{_lastPath}: optimizer {state.OptimizerName} differs from this run's {_optimizer.Name}");
            Checkpoint.LoadStateDict(_model, data.Model, _lastPath);
            if (data.Ema is not null) Checkpoint.LoadStateDict(_ema.Model, data.Ema, _lastPath);
            _ema.Updates = state.EmaUpdates;
            if (data.Optimizer.Length > 0 && !data.HasCurrentOptimizerFormat)
                throw new InvalidDataException($"{_lastPath}: written by an older DigitMl whose optimizer state cannot be resumed; start a new run from these weights with --init instead");
            if (data.Optimizer.Length > 0)
            {
                using var reader = new BinaryReader(new MemoryStream(data.Optimizer));
                _optimizer.Optimizer.Load(reader, _lastPath);
            }
            if (data.RngState.Length > 0)
            {
                using var rng = torch.get_rng_state();
                using var restored = empty(rng.shape, rng.dtype);
                restored.bytes = data.RngState;
                torch.set_rng_state(restored);
            }
            _history = [.. state.History];
            _bestFitness = state.BestFitness;
            _bestEpoch = state.BestEpoch;
            _optimizerSteps = state.OptimizerSteps;
            _startEpoch = data.Info.Epoch;
        }

        private void InitialiseWeights(string init)
        {
            InitReport = Pretrained.InitialWeights.LoadInto(_model, init, _names);
            File.WriteAllText(Path.Combine(_o.OutputDirectory, TrainingFiles.InitReport), InitReport + "\n");
        }

        public WeightTransferReport? InitReport { get; private set; }

        private void Note(string text) =>
            _progress?.Report(new TrainingProgress(TrainingPhase.Note, Math.Min(_startEpoch + 1, _o.Epochs), _o.Epochs, 0, _loader.BatchesPerEpoch, 0, 0, 0, 0, 0, TimeSpan.Zero, Note: text));

        private void Report(TrainingPhase phase, int epoch, int batch, int batches, (float Box, float Cls, float Dfl) losses, double lr, double imagesPerSecond, TimeSpan eta, EpochMetrics? validation) =>
            _progress?.Report(new TrainingProgress(phase, epoch + 1, _o.Epochs, batch, batches, losses.Box, losses.Cls, losses.Dfl, lr, imagesPerSecond, eta, validation));

        public void Dispose()
        {
            _loader.Dispose();
            _optimizer.Optimizer.Dispose();
            _ema.Dispose();
            _model.Dispose();
        }
    }
}
