"""The article library: the Coalition's website mirrored inside the bot (feeds → pages → text)."""
