print("gpt2-tui")
