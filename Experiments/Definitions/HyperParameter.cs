// A hyperparameter of a trial is a setting of TrialSettings: the trainer's settings (DigitMl.Training.Settings,
// defined once there) lifted onto the trial, plus the experiment's own (rotation, subsets).
global using HyperParameter = DigitMl.Training.Settings.Setting<DigitMl.Experiments.Definitions.TrialSettings>;
