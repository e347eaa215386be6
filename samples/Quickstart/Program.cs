Console.WriteLine("AnalyticsHub quickstart");
