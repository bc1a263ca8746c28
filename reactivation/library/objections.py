# ruff: noqa: E501  (script texts read best one sentence per line)
"""Default answers to the objections heard on the phone, and the apology scripts."""

from __future__ import annotations

from .entries import LibraryScript, text

OBJECTIONS = (
    LibraryScript(
        key="objection-too-expensive",
        situation="objection",
        reason="price",
        zh=text(
            "她说“太贵了”",
            "通话中她说价格太贵、不值。不争辩：先认同，再讲她得到什么，最后给一个轻量的选择。",
            "是的{name}，花钱之前多考虑一下很正常。您觉得贵，是跟别家比，还是觉得效果不值这个价？（先听她说完。）",
            "我们的价格里包括专业的皮肤检测、正规的产品和一对一的服务，做完还有人跟进。您卡里还有{card_left}，先用卡里的，不用另外花钱。以后想少花一点，也有次数少的轻量套餐可以选。",
        ),
        en=text(
            "She says “It's too expensive”",
            "During a call she says it costs too much or isn't worth it. Don't argue: agree first, then say what she gets, then offer a lighter option.",
            "Of course, {name}, it makes sense to think carefully before spending. Is it more than other salons, or does the result not feel worth the price? (Let her finish.)",
            "Our price covers a professional skin check, genuine products and one-to-one care, with follow-up afterwards. You still have {card_left} on your card, so you can use that first without spending anything more. And if you'd like to spend less later, there are lighter packages with fewer sessions.",
        ),
    ),
    LibraryScript(
        key="objection-no-time",
        situation="objection",
        reason="busy",
        zh=text(
            "她说“没时间”",
            "她说太忙、没时间。体谅她，把护理说成难得的休息，按她的时间约。",
            "{name}，您越忙越要给自己留一点时间。一次护理一个小时左右，躺下来就当是休息，比坐着刷手机还解乏。",
            "我们早上、中午、晚上都能约。您告诉我哪天哪个时段空一点，我提前帮您留好位置，到了直接做，不用等。",
        ),
        en=text(
            "She says “I haven't got time”",
            "She says she's too busy. Sympathise, present the treatment as a rest, and book around her.",
            "{name}, when you're this busy you need a little time for yourself even more. A treatment takes about an hour, and lying down for it is a proper rest, better than scrolling your phone.",
            "We can book mornings, lunchtimes or evenings. Tell me which day and time is quietest for you, I'll keep the place, and you can come straight in without waiting.",
        ),
    ),
    LibraryScript(
        key="objection-when-free",
        situation="objection",
        reason="busy",
        zh=text(
            "她说“有空再过去”",
            "她说等有空再说，往往就一直不来了。温和地先把时间定下来，并说好会提前提醒。",
            "好的{name}，那我们先定个大概的时间，有变化随时改。您看下周二或者周四，哪天下午更可能有空？",
            "我先帮您登记上，前一天再发消息提醒您。真来不了，回我一句就好，不会给您添麻烦。",
        ),
        en=text(
            "She says “I'll come when I'm free”",
            "She says she'll come when she has time, which often means never. Gently fix a time, and promise a reminder.",
            "Of course, {name}. Let's pencil in a rough time, and you can change it whenever you need to. Would next Tuesday or Thursday afternoon be more likely to work?",
            "I'll put you down and send you a reminder the day before. If you can't make it, just reply to let me know; it's no trouble at all.",
        ),
    ),
    LibraryScript(
        key="objection-too-far",
        situation="objection",
        reason="inconvenient",
        zh=text(
            "她说“离得太远了”",
            "她说离得远、过来不方便。提出报销打车，或在店里空闲的时段上门服务。",
            "{name}，确实，路远了来一趟不容易。这样：您来的时候打车，来回车费我们报销；要是实在走不开，我们也可以约店里不忙的时段上门给您做。",
            "您卡里还有{card_left}，钱已经花了，用完才不浪费。您看哪种方式适合您？",
        ),
        en=text(
            "She says “It's too far”",
            "She says it's too far or awkward to get here. Offer to pay the taxi, or a home visit in the salon's quiet hours.",
            "{name}, you're right, it's a long way to come. So: take a taxi and we'll pay the fare both ways; and if you really can't get away, we can come to you at a time when the salon is quiet.",
            "You still have {card_left} on your card; you've paid for it, so let's make sure you get the good of it. Which would suit you better?",
        ),
    ),
    LibraryScript(
        key="objection-no-results",
        situation="objection",
        reason="results",
        zh=text(
            "她说“做了没效果”",
            "她说做了没效果。不要硬说“肯定有效”，请她来做一次免费检测，和资深美容师一起对比。",
            "{name}，谢谢您直说。护理的变化是慢慢来的，自己天天照镜子反而不容易看出来。您回来我们给您做一次皮肤检测，跟您刚来时的记录放在一起对比看看。",
            "如果确实没达到您想要的效果，我们请资深美容师帮您重新调整方案，直到您满意为止。检测是免费的，您看哪天方便？",
        ),
        en=text(
            "She says “It didn't do anything”",
            "She says the treatments didn't work. Don't insist that they did; invite her for a free skin check and a comparison with a senior beautician.",
            "{name}, thank you for being frank. Changes come slowly, and looking in the mirror every day you often can't see them. Come in for a skin check and we'll compare it with your notes from when you started.",
            "If it really hasn't done what you wanted, our senior beautician will rework your plan until you're happy. The check is free; which day suits you?",
        ),
    ),
    LibraryScript(
        key="objection-bad-service",
        situation="objection",
        reason="service",
        zh=text(
            "她说“服务不好”",
            "她说服务不好。马上道歉，请她说具体，承诺改进，请她回来免费补做一次，美容师和房间由她选。",
            "{name}，对不起，让您不开心了。您能告诉我是哪一次、哪里做得不好吗？我记下来交给店长。",
            "（听她说完再开口，不找理由。）",
            "您的意见对我们很重要，我们一定改。请您回来免费补做一次护理，美容师和房间都按您的意思来安排。",
        ),
        en=text(
            "She says “The service was bad”",
            "She says the service was poor. Apologise at once, ask for details, promise to put it right, and invite her for a free make-up treatment with the beautician and room of her choice.",
            "{name}, I'm sorry we upset you. Could you tell me when it was and what went wrong? I'll write it down for our manager.",
            "(Hear her out before you speak; no excuses.)",
            "What you tell us matters, and we will change it. Please come back for a free treatment to make up for it; you choose your beautician and your room.",
        ),
    ),
    LibraryScript(
        key="objection-pushy-selling",
        situation="objection",
        reason="oversold",
        zh=text(
            "她说“每次去都推销”",
            "她说一去就被推销。道歉，承诺下次只做护理不推销，并在她的档案里注明。",
            "{name}，您说得对，这样确实让人不舒服，对不起。我在您的档案里写上“只做护理、不做推荐”，以后谁给您服务都会看到。",
            "您只管来放松，您自己想了解什么再问我们。这样您看可以吗？",
        ),
        en=text(
            "She says “You always try to sell me something”",
            "She says she's always pushed to buy. Apologise, promise her next visit will be treatment only, and note it in her file.",
            "{name}, you're right, that's unpleasant, and I'm sorry. I'm noting in your file “treatment only, no recommendations”, so whoever looks after you will see it.",
            "Just come and relax; we'll only tell you about something if you ask. Would that be all right?",
        ),
    ),
)

APOLOGIES = (
    LibraryScript(
        key="apology-manager-call",
        situation="apology",
        zh=text(
            "店长致歉电话",
            "连续三次联系都没有结果，或她投诉过，由店长亲自打。真诚道歉；她愿意的话，约时间上门拜访。",
            "{name}您好，我是{store}的店长{staff}。冒昧打扰，是想亲自跟您说声对不起：这段时间我们在服务和联系上都有做得不好的地方，让您失望了。",
            "您愿意的话，跟我说说您的想法，不管是什么问题，我都会负责处理好。",
            "如果方便，我想找个时间登门拜访，当面跟您道歉；或者您来店里，我亲自接待您，这次护理由店里承担。您看哪种方式合适？",
        ),
        en=text(
            "The manager's apology call",
            "After three contacts with no result, or after a complaint, the store manager calls in person: a sincere apology and, if she is willing, a home visit.",
            "Hello {name}, this is {staff}, the manager of {store}. I hope you don't mind me calling: I wanted to apologise to you myself. We've let you down, both in our service and in keeping in touch.",
            "If you're willing, tell me what you think; whatever the problem, I'll take charge of putting it right.",
            "If it suits you, I'd like to call on you and apologise in person; or come to the salon and I'll look after you myself, with the treatment on us. Which would you prefer?",
        ),
    ),
    LibraryScript(
        key="apology-sms",
        situation="apology",
        channel="sms",
        zh=text(
            "致歉短信",
            "她投诉过或在电话里表示不满时，当天发一条正式的道歉短信，说明店长会跟进。",
            "{name}您好，我是{store}的{staff}。今天听到您的意见，非常抱歉让您失望了。您提到的问题已经交给店长处理，会尽快给您答复。为表歉意，您下次来店的护理由我们承担。谢谢您愿意告诉我们。",
        ),
        en=text(
            "Apology (SMS)",
            "The same day she complains or sounds unhappy on a call, send a proper apology saying the manager will follow up.",
            "Hello {name}, this is {staff} from {store}. Thank you for telling us how you felt today, and we're very sorry we let you down. Our manager is looking into it and will come back to you soon. To apologise, your next treatment is on us.",
        ),
    ),
)
