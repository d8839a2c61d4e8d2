namespace DigitMl.Evaluation;

/// <summary>
/// Metrics of one class that has ground-truth instances. Precision, Recall and F1 are read at the confidence
/// that maximises the mean F1 over classes (<see cref="DetectionMetrics.ConfAtBestF1"/>).
/// </summary>
public sealed record ClassMetrics(
    int ClassId,
    string Name,
    int Images,
    int Instances,
    int Predictions,
    double Precision,
    double Recall,
    double F1,
    double Ap50,
    double Ap50To95,
    IReadOnlyList<double> ApPerIou);
