# ruff: noqa: E501  (script texts read best one sentence per line)
"""Default messages and the calls around a visit: no answer, appointments, after the visit, greetings."""

from __future__ import annotations

from .entries import LibraryScript, text

MESSAGES = (
    LibraryScript(
        key="no-answer-sms",
        situation="no_answer_sms",
        channel="sms",
        zh=text(
            "未接来电后的短信",
            "打电话她没接，马上发这条：说明是谁、为什么打，请她方便时回复。",
            "{name}您好，我是{store}的{staff}，刚才给您打电话没接通，不打扰您。好久没见，想问问您最近好不好，也告诉您一声，您的护理还给您留着。方便时回我一句就好，祝您一切顺利！",
        ),
        en=text(
            "Text after an unanswered call",
            "She didn't answer your call: send this straight away, saying who you are and why you called, and ask her to reply when convenient.",
            "Hello {name}, this is {staff} from {store}. I tried to call you just now; sorry to have missed you. We haven't seen you for a while and wanted to see how you are, and to let you know your treatments are still waiting for you. Reply whenever it suits you. All the best!",
        ),
    ),
    LibraryScript(
        key="confirmation-sms",
        situation="confirmation_sms",
        channel="sms",
        zh=text(
            "预约确认短信",
            "刚约好时间就发，写清时间和为她服务的美容师，方便她记住。",
            "{name}您好，您在{store}的预约已确认：{appointment}，由{beautician}为您服务。如需改时间，回复这条短信或来电即可。期待见到您！",
        ),
        en=text(
            "Appointment confirmation (SMS)",
            "Send as soon as the time is agreed, with the time and her beautician, so she remembers.",
            "Hello {name}, your appointment at {store} is confirmed for {appointment}, with {beautician}. To change the time, just reply or call us. We look forward to seeing you!",
        ),
    ),
    LibraryScript(
        key="reminder-sms",
        situation="reminder_sms",
        channel="sms",
        zh=text(
            "预约提醒短信",
            "预约前一天发：提醒时间，不能来也请她告诉我们。",
            "{name}您好，温馨提醒：您在{store}的护理预约在{appointment}，{beautician}已经为您做好准备。如果临时有事来不了，请回复告诉我们，帮您改期。",
        ),
        en=text(
            "Appointment reminder (SMS)",
            "Send the day before the appointment: remind her of the time and ask her to tell us if she can't come.",
            "Hello {name}, a friendly reminder of your appointment at {store} on {appointment}. {beautician} is looking forward to seeing you. If something comes up, just reply and we'll find another time.",
        ),
    ),
    LibraryScript(
        key="post-visit-call",
        situation="post_visit",
        zh=text(
            "护理后回访电话",
            "她回店做完护理后的第二、三天打：问感受，提醒居家护理，把下一次约好。",
            "{name}您好，我是{store}的{staff}。谢谢您这次回来做护理，想问问您这两天感觉怎么样？皮肤有没有紧绷、发红或者不舒服的地方？",
            "（有问题就详细记下，马上告诉她的美容师。）",
            "这几天注意多补水，用温水洗脸，出门记得防晒。护理的效果要连着做才巩固得住，下一次我帮您约在什么时候？",
        ),
        en=text(
            "Follow-up call after a visit",
            "Two or three days after her visit: ask how she feels, remind her of home care, and book her next visit.",
            "Hello {name}, this is {staff} from {store}. Thank you for coming in for your treatment. How has your skin felt since? Any tightness, redness or discomfort?",
            "(If there is a problem, write it down and tell her beautician at once.)",
            "For the next few days, drink plenty of water, wash with lukewarm rather than hot water, and wear sun cream outdoors. Results last when treatments are regular; when shall I book your next one?",
        ),
    ),
    LibraryScript(
        key="post-visit-sms",
        situation="post_visit",
        channel="sms",
        zh=text(
            "护理后关怀短信",
            "她做完护理的当天晚上发：谢谢她回来，提醒居家护理。",
            "{name}，谢谢您今天来{store}！护理后两天内皮肤比较敏感，记得多补水、用温水洗脸、出门防晒。有任何不舒服随时找我。——{staff}",
        ),
        en=text(
            "Care message after a visit (SMS)",
            "The evening after her visit: thank her for coming and remind her of home care.",
            "{name}, thank you for coming to {store} today! Your skin is more sensitive for two days after a treatment, so keep it moisturised, wash with lukewarm water and wear sun cream outdoors. Any discomfort, just let me know. — {staff}",
        ),
    ),
    LibraryScript(
        key="birthday-sms",
        situation="birthday",
        channel="sms",
        zh=text(
            "生日祝福短信",
            "她生日当天上午发，只送祝福和一份小心意，不推销。",
            "{name}，生日快乐！{store}全体同事祝您新的一岁健康美丽、事事顺心。我们为您准备了一份生日小礼物，这个月来店时记得领取哦。——{staff}",
        ),
        en=text(
            "Birthday greeting (SMS)",
            "On the morning of her birthday. Greetings and a small gift only; no selling.",
            "Happy birthday, {name}! Everyone at {store} wishes you health, beauty and a wonderful year ahead. We have a small birthday gift for you; collect it when you come in this month. — {staff}",
        ),
    ),
    LibraryScript(
        key="festival-spring-sms",
        situation="festival",
        channel="sms",
        zh=text(
            "春节祝福短信",
            "春节前后发给愿意接收消息的顾客，只送祝福。",
            "{name}，新春快乐！感谢您这一年对{store}的信任和陪伴。祝您和家人新的一年身体健康、万事如意、越来越美！——{staff}",
        ),
        en=text(
            "Spring Festival greeting (SMS)",
            "Around Chinese New Year, to customers who accept messages. Greetings only.",
            "Happy New Year, {name}! Thank you for your trust in {store} this past year. Wishing you and your family good health, every success and a beautiful year ahead! — {staff}",
        ),
    ),
    LibraryScript(
        key="festival-womens-day-sms",
        situation="festival",
        channel="sms",
        zh=text(
            "三八节祝福短信",
            "3月8日当天发，以祝福为主，可以顺带介绍本月主打项目。",
            "{name}，节日快乐！在属于您的这一天，{store}祝您被温柔以待，自信又美丽。本月我们特别准备了{featured}，欢迎您抽空来放松一下。——{staff}",
        ),
        en=text(
            "Women's Day greeting, 8 March (SMS)",
            "On 8 March; mainly greetings, with a mention of this month's featured treatment.",
            "Happy Women's Day, {name}! On your day, everyone at {store} wishes you kindness, confidence and joy. This month we've prepared {featured}; do come in and treat yourself. — {staff}",
        ),
    ),
    LibraryScript(
        key="festival-mid-autumn-sms",
        situation="festival",
        channel="sms",
        zh=text(
            "中秋祝福短信",
            "中秋节前一两天发，只送祝福。",
            "{name}，中秋快乐！月圆人团圆，{store}祝您和家人幸福安康、花好月圆。——{staff}",
        ),
        en=text(
            "Mid-Autumn greeting (SMS)",
            "A day or two before the Mid-Autumn Festival. Greetings only.",
            "Happy Mid-Autumn Festival, {name}! As the moon grows full, everyone at {store} wishes you and your family health, happiness and time together. — {staff}",
        ),
    ),
)
