namespace DigitMl.Experiments.Definitions;

/// <summary>
/// Sequential successive halving: at each rung epoch (minEpochs, minEpochs*eta, minEpochs*eta^2, ...)
/// a trial goes on only if its validation fitness ranks within the top ceil(n/eta) of the n trials
/// (itself included) that reached that epoch. The first trial always runs to the end and sets the bar.
/// </summary>
public sealed class SuccessiveHalvingRule(int minEpochs, int eta)
{
    public int MinEpochs { get; } = Math.Max(1, minEpochs);

    public int Eta { get; } = Math.Max(2, eta);

    public bool IsRung(int epoch, int totalEpochs)
    {
        if (epoch >= totalEpochs) return false;
        for (long rung = MinEpochs; rung <= epoch; rung *= Eta)
            if (rung == epoch) return true;
        return false;
    }

    /// <summary>Whether a trial with <paramref name="fitness"/> after <paramref name="epoch"/> epochs should stop.</summary>
    /// <param name="peerFitnessAtEpoch">Earlier trials' fitness after the same number of epochs.</param>
    public bool ShouldStop(int epoch, int totalEpochs, double fitness, IReadOnlyCollection<double> peerFitnessAtEpoch)
    {
        if (!IsRung(epoch, totalEpochs) || peerFitnessAtEpoch.Count == 0) return false;
        int better = peerFitnessAtEpoch.Count(f => f > fitness);
        int keep = (int)Math.Ceiling((peerFitnessAtEpoch.Count + 1) / (double)Eta);
        return better + 1 > keep;
    }
}
