namespace DigitMl.Training;

/// <summary>The files a training run writes into its output folder.</summary>
public static class TrainingFiles
{
    /// <summary>The last completed epoch (weights, EMA, optimizer and trainer state): what a resume continues from.</summary>
    public const string LastCheckpoint = "last.ckpt";

    /// <summary>The epoch of the best validation fitness.</summary>
    public const string BestCheckpoint = "best.ckpt";

    /// <summary>One row per epoch: losses, learning rates, metrics, images/s.</summary>
    public const string ResultsCsv = "results.csv";

    /// <summary>What the initial weights (<c>init</c>) gave the model: each tensor loaded, adapted, skipped or re-initialised.</summary>
    public const string InitReport = "init_report.txt";
}
