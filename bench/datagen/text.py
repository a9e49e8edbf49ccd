"""Multilingual, emoji-laden text pools: names, titles and bodies drawn from a seeded random source."""
# ruff: noqa: RUF001 -- multilingual sample text: the look-alike letters are the point

import random

FIRST = [
    "Ada", "Grace", "Linus", "Amélie", "Søren", "José", "Zoë", "Björn", "Łukasz", "Ngozi", "Aarav", "Mei",
    "Yuki", "Haruto", "Sakura", "Jiwoo", "Minh", "Olga", "Dmitri", "Fatima", "Omar", "Layla", "Priya", "Diego",
    "Chloé", "Mateus", "Ayşe", "Kofi", "Ingrid", "Nikos", "Анна", "Иван", "Мария", "李", "王", "张", "佐藤",
    "鈴木", "김", "박", "محمد", "فاطمة", "अर्जुन", "प्रिया", "Θεόδωρος", "Σοφία", "Ольга", "Hiroshi", "Aiyana",
]  # fmt: skip
LAST = [
    "Lovelace", "Hopper", "García", "Müller", "Kowalski", "Okafor", "Nakamura", "Tanaka", "Nguyễn", "Øster",
    "Schäfer", "Dubois", "Rossi", "Silva", "Yılmaz", "Ivanova", "Петров", "Смирнова", "伟", "芳", "太郎", "花子",
    "민준", "서연", "الأحمد", "खन्ना", "Παπαδόπουλος", "O'Brien", "van der Berg", "Jõgi", "Þórsdóttir",
]  # fmt: skip
DOMAINS = ["example.com", "acme.io", "initech.dev", "globex.org", "mail.example.net", "universität.example"]
EMOJI = ["🎉", "🚀", "🔥", "❤️", "👍", "🤔", "😅", "🙏", "✨", "🐛", "💡", "👀", "🇧🇷", "👩🏽‍💻", "🧑‍🔬", "☕"]

SENTENCES = [
    # en
    "Has anyone managed to get the webhook retry working behind a proxy?",
    "The new release fixed the memory leak we saw last week, thanks a lot!",
    "I think the docs for the import command are out of date.",
    "Could we add a dark mode to the dashboard? Many of us work late.",
    "Benchmarks look good: p95 dropped from 240 ms to 90 ms after the index change.",
    "Meetup next Thursday in Lisbon, who is in?",
    "This is a duplicate of the thread from March, see the linked discussion.",
    "Great write-up, I learned a lot about row-level security from this.",
    # es / pt / fr / de / it
    "¿Alguien sabe cómo configurar la integración con GitHub en una organización privada?",
    "Muchas gracias por la ayuda, ya funciona perfectamente.",
    "Alguém já testou a nova versão em produção? Estou com medo de atualizar.",
    "Je n'arrive pas à exporter les membres au format CSV, une idée ?",
    "Merci pour cette réponse détaillée, c'est exactement ce qu'il me fallait.",
    "Die Synchronisierung mit Slack bricht nach etwa zehn Minuten ab.",
    "Können wir die Übersetzung ins Deutsche gemeinsam verbessern?",
    "Qualcuno ha esperienza con l'importazione di grandi comunità?",
    # ru / uk / el / tr / pl
    "Подскажите, пожалуйста, как настроить уведомления по электронной почте?",
    "Спасибо, это решило мою проблему с импортом.",
    "Μπορεί κάποιος να εξηγήσει πώς λειτουργούν οι ρόλοι;",
    "Yeni sürümde arama çok daha hızlı olmuş, tebrikler!",
    "Czy ktoś wie, jak przenieść wątek do innej przestrzeni?",
    # ja / zh / ko / ar / hi / he / th / vi
    "新しいバージョンでフォーラムの検索が速くなりました。ありがとうございます！",
    "Discord連携の設定方法を教えてください。",
    "这个功能什么时候上线？我们社区非常需要。",
    "请问如何把成员导出为CSV文件？",
    "업데이트 이후로 알림이 두 번씩 와요.",
    "هل يمكن إضافة دعم للغة العربية في لوحة التحكم؟",
    "शानदार काम! नया डैशबोर्ड बहुत तेज़ है।",
    "מישהו יודע איך מגדירים את האינטגרציה עם Slack?",
    "ขอบคุณสำหรับคำแนะนำครับ",
    "Cảm ơn bạn, mình đã làm được rồi!",
]  # fmt: skip

TITLE_STARTS = [
    "How do I", "Question about", "Proposal:", "Bug:", "Idea —", "[RFC]", "Help with", "Pregunta sobre",
    "Frage zu", "Question sur", "Вопрос про", "について質問", "关于", "문의:", "اقتراح:", "Release notes",
]  # fmt: skip
TITLE_SUBJECTS = [
    "webhooks", "the GitHub integration", "Slack sync", "member import", "CSV export", "dark mode", "SSO login",
    "API keys", "rate limits", "the search index", "notifications", "badges", "la sincronización", "die Rollen",
    "les espaces", "уведомления", "検索", "导出", "알림", "التكامل", "meetups in 2026", "v2.3 🚀",
]  # fmt: skip

WORDS = [
    "webhook", "community", "release", "import", "export", "search", "forum", "member", "badge", "sync",
    "gracias", "danke", "merci", "спасибо", "ありがとう", "谢谢", "감사합니다", "شكرا", "धन्यवाद", "obrigado",
]  # fmt: skip


class Texts:
    """Cheap text from a seeded random: sentences, not gibberish, so full-text search has real words to hit."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def title(self) -> str:
        r = self.rng
        title = f"{r.choice(TITLE_STARTS)} {r.choice(TITLE_SUBJECTS)}"
        if r.random() < 0.3:
            title += f" {r.choice(EMOJI)}"
        return title[:200]

    def body(self, sentences: tuple[int, int] = (1, 4)) -> str:
        r = self.rng
        parts = [r.choice(SENTENCES) for _ in range(r.randint(*sentences))]
        if r.random() < 0.4:
            parts.append(r.choice(EMOJI) * r.randint(1, 3))
        if r.random() < 0.15:
            parts.append(f"#{r.choice(WORDS)} @{r.choice(FIRST).lower()}")
        return " ".join(parts)

    def markdown_body(self) -> str:
        """A forum post: paragraphs, sometimes a list or a code block."""
        r = self.rng
        paragraphs = [self.body((1, 3)) for _ in range(r.randint(1, 3))]
        if r.random() < 0.25:
            paragraphs.append("\n".join(f"- {r.choice(SENTENCES)}" for _ in range(r.randint(2, 4))))
        if r.random() < 0.1:
            paragraphs.append("```python\nresponse = client.post('/api/v1/activities/bulk/', json=items)\n```")
        return "\n\n".join(paragraphs)
