using Microsoft.ML;

namespace DigitMl;

/// <summary>
/// Entry point for object detection on an <see cref="MLContext"/>, shaped like ML.NET's own catalogs:
/// <c>mlContext.Detection().Trainers.YoloV8(...)</c>, <c>mlContext.Detection().Evaluate(...)</c>.
/// Trainers and operations are extension methods defined next to their implementations.
/// </summary>
public sealed class DetectionCatalog
{
    internal DetectionCatalog(MLContext context)
    {
        Context = context;
        Trainers = new DetectionTrainers(context);
    }

    public MLContext Context { get; }

    public DetectionTrainers Trainers { get; }

    /// <summary>Holder for detection trainer extension methods.</summary>
    public sealed class DetectionTrainers
    {
        internal DetectionTrainers(MLContext context) => Context = context;

        public MLContext Context { get; }
    }
}

/// <summary>Adds <c>Detection()</c> to <see cref="MLContext"/>.</summary>
public static class DetectionCatalogExtensions
{
    public static DetectionCatalog Detection(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DetectionCatalog(context);
    }
}
