from .follow_ups import CustomerReturn, FollowUp, FollowUpReason
from .rewards import RewardSheetStamp
from .runs import AssignmentChange, SegmentCount, SegmentRun
from .scripts import Message, Script, ScriptVersion, StoreOffer

__all__ = [
    "AssignmentChange",
    "CustomerReturn",
    "FollowUp",
    "FollowUpReason",
    "Message",
    "RewardSheetStamp",
    "Script",
    "ScriptVersion",
    "SegmentCount",
    "SegmentRun",
    "StoreOffer",
]
