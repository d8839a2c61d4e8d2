using System.Diagnostics;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;

namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// Runs an experiment end to end: plans (or reloads) the trials, runs each into a reserved version,
/// records failures and early stops, keeps leaderboard.csv and best current after every trial, and
/// scores the winner on the test split. The state file is saved after every step so an interrupted
/// sweep resumes where it stopped (<see cref="SweepRunOptions.Resume"/>).
/// </summary>
public sealed class SweepRunner(ArtifactStore store, ITrialExecutor executor, ISweepObserver? observer = null)
{
    private readonly ISweepObserver _observer = observer ?? SilentSweepObserver.Instance;

    public ArtifactStore Store => store;

    public SweepSummary Run(ExperimentDefinition definition, SweepRunOptions options, CancellationToken cancellationToken = default)
    {
        var experiment = options.ExperimentName ?? definition.Name;
        store.ExperimentDirectory(experiment); // validates the name before anything is written
        var session = Stopwatch.StartNew();

        var (state, stateLock, resumed) = options.Resume ? ReloadState(experiment) : (null, null, false);
        using var heldLock = stateLock;
        PreparedDataset data;
        int otherUnfinished = 0;
        if (state is null)
        {
            otherUnfinished = SweepState.Unfinished(store, experiment).Count;
            data = executor.Prepare(ResolveData(definition, options), options.SkipInvalid);
            state = NewState(definition, experiment, data, options);
            Directory.CreateDirectory(SweepState.Directory(store, experiment));
            state.Save(store);
        }
        else
        {
            data = executor.Prepare(state.DataYaml, state.SkipInvalid);
            if (data.Description.Fingerprint != state.DataFingerprint)
                throw new InvalidOperationException(
                    $"the dataset {state.DataYaml} changed since sweep {state.Id} started (fingerprint {data.Description.Fingerprint} != {state.DataFingerprint}); start a new sweep instead of --resume");
        }

        using var ownLock = heldLock ?? ExperimentLock.Acquire(state.LockPath(store), TimeSpan.FromSeconds(5));
        double previousElapsed = state.ElapsedSeconds;
        void Save()
        {
            state.ElapsedSeconds = previousElapsed + session.Elapsed.TotalSeconds;
            state.Save(store);
        }

        _observer.SweepStarted(state, resumed);
        if (data.Skipped is { } skipped) _observer.Message($"warning: {skipped.Describe()}");
        if (!resumed)
        {
            foreach (var warning in definition.Warnings()) _observer.Message(warning);
            if (otherUnfinished > 0)
                _observer.Message($"note: {otherUnfinished} other sweep(s) of '{experiment}' are unfinished or still running; `sweep --resume` continues an interrupted one");
        }
        var rule = state.HalvingMinEpochs is { } minEpochs ? new SuccessiveHalvingRule(minEpochs, state.HalvingEta ?? 2) : null;
        int count = state.Trials.Count;
        foreach (var trial in state.Trials)
        {
            if (trial.IsDone) continue;
            cancellationToken.ThrowIfCancellationRequested();
            if (state.MaxSeconds is { } maxSeconds && previousElapsed + session.Elapsed.TotalSeconds >= maxSeconds)
            {
                trial.Status = SweepTrialState.Skipped;
                trial.Reason = $"time budget of {BudgetText(maxSeconds)} used up";
                Save();
                _observer.TrialFinished(trial);
                continue;
            }

            RunTrial(state, trial, count, data, rule, () => previousElapsed + session.Elapsed.TotalSeconds, Save, cancellationToken);
        }

        var best = FinishSweep(state, data, options, Save, cancellationToken);
        RemoveLockFile(state.LockPath(store));
        return new SweepSummary(state, store.ExperimentDirectory(experiment), best, TimeSpan.FromSeconds(state.ElapsedSeconds)) { Skipped = data.Skipped };
    }

    private void RunTrial(SweepState state, SweepTrialState trial, int count, PreparedDataset data, SuccessiveHalvingRule? rule, Func<double> elapsedSeconds, Action save, CancellationToken userToken)
    {
        var settings = HyperParameters.Apply(new TrialSettings(), trial.Settings).Resolved();
        if (AdoptCommitted(state, trial, save)) return;
        // temp_dir is kept relative to the experiment folder (older state files hold an absolute path, which
        // Path.Combine keeps as it is), so an artifacts folder that was moved or copied still resumes
        var reservation = trial is { Version: { } number, TemporaryDirectory: { } temporary }
            ? store.Reclaim(state.Experiment, number, Path.Combine(store.ExperimentDirectory(state.Experiment), temporary))
            : null;
        bool resume = reservation is not null && File.Exists(Path.Combine(reservation.TemporaryDirectory, "last.ckpt"));
        reservation ??= store.Reserve(state.Experiment);
        trial.Version = reservation.Number;
        trial.TemporaryDirectory = Path.GetFileName(reservation.TemporaryDirectory);
        trial.Status = SweepTrialState.Running;
        if (!resume) trial.FitnessByEpoch.Clear();
        save();

        _observer.TrialStarted(trial, trial.Index, count, settings.Trainer.Epochs, resume);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        using var prune = CancellationTokenSource.CreateLinkedTokenSource(userToken);
        string? pruneReason = null;
        using var outOfTime = new CancellationTokenSource();
        string? budgetNote = null;
        var progress = new InlineProgress<TrialProgress>(p =>
        {
            if (p.Kind == TrialProgressKind.Epoch && p.Fitness is { } fitness)
            {
                // epochs before this one that no state file recorded (a process killed between the checkpoint and
                // the state save, or a resume from an older state) are unknown: null, never NaN (JSON has no NaN)
                while (trial.FitnessByEpoch.Count < p.Epoch) trial.FitnessByEpoch.Add(null);
                trial.FitnessByEpoch[p.Epoch - 1] = double.IsFinite(fitness) ? fitness : null;
                save(); // a kill loses at most the epoch in flight
                if (pruneReason is null && rule is not null && double.IsFinite(fitness))
                {
                    var peers = PeerFitness(state, trial, p.Epoch);
                    if (rule.ShouldStop(p.Epoch, p.Epochs, fitness, peers))
                    {
                        pruneReason = $"stopped at epoch {p.Epoch}: val fitness {fitness:0.0000} not in the top 1/{rule.Eta} of {peers.Count + 1} trials (best {peers.Max():0.0000})";
                        prune.Cancel();
                    }
                }

                if (pruneReason is null && budgetNote is null && state.MaxSeconds is { } maxSeconds && elapsedSeconds() >= maxSeconds && p.Epoch < p.Epochs)
                {
                    budgetNote = $"time budget of {BudgetText(maxSeconds)} reached: stopped after epoch {p.Epoch} of {p.Epochs}";
                    outOfTime.Cancel();
                }
            }

            _observer.TrialProgress(trial, p);
        });

        TrialStatus status;
        string? reason = null;
        TrialRunResult? result = null;
        string? initPath = null;
        try
        {
            initPath = ResolveInit(settings.Trainer.Init);
            WriteConfig(state, trial, settings, initPath, data, reservation, started);
            var request = new TrialRequest(state.Experiment, trial.Name, settings, initPath, data, reservation.TemporaryDirectory, resume) { FinishEarly = outOfTime.Token };
            result = executor.Run(request, progress, prune.Token);
            status = TrialStatus.Succeeded;
            reason = budgetNote;
        }
        catch (OperationCanceledException) when (userToken.IsCancellationRequested)
        {
            // Interrupted by the user: the trial stays "running" with its reservation, so --resume picks it up.
            save();
            throw;
        }
        catch (OperationCanceledException) when (pruneReason is not null)
        {
            status = TrialStatus.Pruned;
            reason = pruneReason;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            status = TrialStatus.Failed;
            reason = OneLine(e);
        }

        if (!File.Exists(Path.Combine(reservation.TemporaryDirectory, TrialConfig.FileName)))
            WriteConfig(state, trial, settings, initPath, data, reservation, started);
        int epochsRun = result?.EpochsRun ?? trial.FitnessByEpoch.Count;
        new TrialOutcome(status, reason, epochsRun, result?.BestEpoch, clock.Elapsed.TotalSeconds, result?.ImagesPerSecond ?? 0, started, DateTime.UtcNow)
            .Write(reservation.TemporaryDirectory);
        reservation.Commit();

        trial.Status = status switch
        {
            TrialStatus.Succeeded => SweepTrialState.Succeeded,
            TrialStatus.Pruned => SweepTrialState.Pruned,
            _ => SweepTrialState.Failed,
        };
        trial.Reason = reason;
        trial.TemporaryDirectory = null;
        save();
        state.Winner = Leaderboard.Update(store, state.Experiment, state.RankMetric);
        _observer.TrialFinished(trial);
    }

    /// <summary>
    /// A process killed between committing a version and saving the state leaves a "running" trial whose
    /// version is complete: take its recorded outcome instead of training it again.
    /// </summary>
    private bool AdoptCommitted(SweepState state, SweepTrialState trial, Action save)
    {
        if (trial.VersionName is not { } name) return false;
        var directory = Path.Combine(store.ExperimentDirectory(state.Experiment), name);
        if (TrialOutcome.Read(directory) is not { } outcome) return false;
        trial.Status = outcome.Status switch
        {
            TrialStatus.Succeeded => SweepTrialState.Succeeded,
            TrialStatus.Pruned => SweepTrialState.Pruned,
            _ => SweepTrialState.Failed,
        };
        trial.Reason = outcome.Reason;
        trial.TemporaryDirectory = null;
        save();
        state.Winner = Leaderboard.Update(store, state.Experiment, state.RankMetric);
        _observer.TrialFinished(trial);
        return true;
    }

    private VersionSummary? FinishSweep(SweepState state, PreparedDataset data, SweepRunOptions options, Action save, CancellationToken cancellationToken)
    {
        var mine = state.Trials.Where(t => t.Status == SweepTrialState.Succeeded && t.VersionName is not null)
            .Select(t => VersionSummary.Load(Path.Combine(store.ExperimentDirectory(state.Experiment), t.VersionName!)))
            .ToList();
        var ranked = Leaderboard.Rank(mine, state.RankMetric);
        var winner = ranked.Count > 0 ? ranked[0] : null;
        if (winner is not null && options.EvaluateWinnerOnTest && data.HasTestSplit && !state.TestEvaluated && winner.Test is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _observer.Message($"evaluating the sweep's best version {winner.Version} on the test split");
            MetricsFile.AddTest(winner.Directory, executor.EvaluateTest(data, winner.Directory, cancellationToken));
            Leaderboard.Update(store, state.Experiment, state.RankMetric);
        }

        state.TestEvaluated = winner is not null;
        state.Finished = true;
        state.Winner = winner?.Version;
        save();
        var bestDirectory = store.BestVersionDirectory(state.Experiment);
        return bestDirectory is null ? null : VersionSummary.Load(bestDirectory);
    }

    private (SweepState? State, ExperimentLock? Lock, bool Resumed) ReloadState(string experiment)
    {
        foreach (var path in SweepState.Unfinished(store, experiment))
        {
            var state = SweepState.Load(path);
            // a sweep that is still running holds its lock: leave it alone
            if (ExperimentLock.TryAcquire(state.LockPath(store)) is { } held) return (state, held, true);
        }

        throw new InvalidOperationException(
            $"no interrupted sweep of experiment '{experiment}' to resume in {SweepState.Directory(store, experiment)}; run without --resume to start one");
    }

    private SweepState NewState(ExperimentDefinition definition, string experiment, PreparedDataset data, SweepRunOptions options)
    {
        var plan = definition.Plan(options.MaxTrials);
        if (plan.Count == 0) throw new InvalidOperationException($"experiment '{definition.Name}' plans no trials");
        return new SweepState
        {
            Id = SweepState.NewId(),
            Experiment = experiment,
            Source = definition.Source,
            DataYaml = data.YamlPath,
            DataFingerprint = data.Description.Fingerprint,
            RankMetric = definition.RankBy,
            Strategy = definition.Strategy.Describe(),
            HalvingMinEpochs = definition.PruningRule?.MinEpochs,
            HalvingEta = definition.PruningRule?.Eta,
            MaxSeconds = definition.Budget.MaxTime?.TotalSeconds,
            SkipInvalid = options.SkipInvalid,
            CreatedUtc = DateTime.UtcNow,
            Trials = plan.Select(p => new SweepTrialState
            {
                Index = p.Index,
                Name = p.Name,
                Description = p.Description,
                Settings = HyperParameters.Describe(p.Settings).ToDictionary(kv => kv.Key, kv => DigitMl.Training.Settings.Setting.FormatValue(kv.Value)),
            }).ToList(),
        };
    }

    private static string ResolveData(ExperimentDefinition definition, SweepRunOptions options)
    {
        var data = options.DataYaml ?? definition.Data;
        if (data is null || data == ExperimentDefinition.DefaultData)
            return options.EnsureDefaultData?.Invoke()
                   ?? throw new InvalidOperationException("the experiment uses the default dataset but no generator was given; pass --data");
        return Path.GetFullPath(data);
    }

    /// <summary>
    /// init: pretrained names the shipped weights (embedded in DigitMl.Training, docs/pretrained.md); experiment:NAME
    /// means the best checkpoint of that experiment; a path is taken as it is.
    /// </summary>
    private string? ResolveInit(string? init)
    {
        const string prefix = "experiment:";
        if (init is null) return null;
        if (DigitMl.Pretrained.PretrainedWeights.IsName(init))
            return DigitMl.Pretrained.PretrainedWeights.IsAvailable
                ? DigitMl.Pretrained.PretrainedWeights.InitName
                : throw new FileNotFoundException($"init {init}: {DigitMl.Pretrained.PretrainedWeights.MissingMessage}");
        if (!init.StartsWith(prefix, StringComparison.Ordinal))
            return File.Exists(init) ? Path.GetFullPath(init) : throw new FileNotFoundException($"init weights {init} do not exist", init);
        var source = init[prefix.Length..];
        var bestDirectory = store.BestVersionDirectory(source)
                            ?? throw new InvalidOperationException($"init {init}: experiment '{source}' has no best version yet under {store.Root}");
        var checkpoint = Path.Combine(bestDirectory, "best.ckpt");
        return File.Exists(checkpoint) ? checkpoint : throw new FileNotFoundException($"init {init}: {checkpoint} does not exist", checkpoint);
    }

    private static List<double> PeerFitness(SweepState state, SweepTrialState trial, int epoch) =>
        state.Trials
            .Where(t => t != trial && t.Status is SweepTrialState.Succeeded or SweepTrialState.Pruned && t.FitnessByEpoch.Count >= epoch)
            .Select(t => t.FitnessByEpoch[epoch - 1])
            .OfType<double>()
            .ToList();

    private static void WriteConfig(SweepState state, SweepTrialState trial, TrialSettings settings, string? initPath, PreparedDataset data, VersionReservation reservation, DateTime started) =>
        new TrialConfig(
            state.Experiment,
            reservation.Name,
            trial.Name,
            trial.Description,
            started,
            HyperParameters.Describe(settings),
            initPath,
            data.Description,
            state.RankMetric,
            CodeCommit.Value,
            PackageVersions.Collect(),
            MachineInfo.Current(),
            state.Id,
            state.Strategy).Write(reservation.TemporaryDirectory);

    /// <summary>A finished sweep's lock file is clutter; nobody resumes a finished sweep, so dropping it while held is safe.</summary>
    private static void RemoveLockFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Windows refuses to delete a file that is open; it stays, empty and harmless
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string BudgetText(double seconds) =>
        seconds < 120 ? $"{seconds:0.#} s" : $"{seconds / 60:0.#} min";

    private static readonly Lazy<string> CodeCommit = new(() =>
        GitCommit.Read(Environment.CurrentDirectory) is var commit && commit != GitCommit.Unknown ? commit : GitCommit.Read(AppContext.BaseDirectory));

    private static string OneLine(Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : e;
        var text = string.Join(' ', root.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return root is TrialFailedException ? text : $"{root.GetType().Name}: {text}";
    }
}
