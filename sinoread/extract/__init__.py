"""What an article says: countries, organisations, people, sentences, agreements, pairs."""
