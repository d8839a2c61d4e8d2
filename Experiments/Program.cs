using DigitMl.Experiments.Cli;

return DigitMlApp.Run(args);
