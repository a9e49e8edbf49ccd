"""Server-rendered pages of the community core: home, join, onboarding and the manager dashboard shell."""
